import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Autotask moves tenants between zones (Australia 6 -> 29 in March 2026); the zone left behind then
// refuses the user. The sync must follow the move on its own and tell the admin, on either transport.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

async function connectionRow() {
  const { rows } = await stack.database.pool.query<{ id: number; zone_url: string; status: string; status_message: string | null; transport: string }>(
    'SELECT id, zone_url, status, status_message, transport FROM autotask_connections WHERE zendesk_account_id = $1',
    [stack.accountId],
  )
  return rows[0]!
}

it('follows Autotask to the new zone with one lookup, keeps syncing and records the move when the zone moves mid-cycle', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  const autotaskId = (await linkOf(stack, ticket.id))!.autotask_ticket_id
  const before = await connectionRow()
  const autotask = stack.sandbox.autotask
  const agent = agentOf(stack)
  const comment = stack.sandbox.zendesk.addComment(ticket.id, { body: 'Moved zones, still here.', public: true, authorId: agent.id })
  const note = autotask.addTechnicianNote(autotaskId, { title: 'From the new zone', description: 'Seen after the move.' })
  autotask.resetCounters()
  // The move lands after the cycle's second request to Autotask.
  autotask.moveToZone('29', 'demo', 2)

  await cycle(stack)

  const notes = (await autotaskNotesOf(stack, ticket.id)).filter((item) => item.fields.Description === 'Moved zones, still here.')
  expect(notes).toHaveLength(1)
  expect(zendeskCommentsOf(stack, ticket.id).filter((item) => item.body.includes(`Autotask note #${note.id}`))).toHaveLength(1)
  expect(comment.id).toBeGreaterThan(0)
  const counters = autotask.counters()
  expect((counters.byOperation.getZoneInfo ?? 0) + (counters.byOperation.zoneInformation ?? 0)).toBe(1)
  expect(counters.rejected.movedZone).toBeGreaterThanOrEqual(1)

  const after = await connectionRow()
  expect(after.zone_url).toContain('/zones/29/')
  expect(after.zone_url).not.toBe(before.zone_url)
  expect(after.status).toBe('ready')
  expect(after.status_message).toMatch(/^Autotask moved this tenant to another zone on \d{4}-\d{2}-\d{2}; PSA Link now uses .*\/zones\/29\//)
  const { rows: audit } = await stack.database.pool.query<{ action: string; admin_user_id: number | null; details: Record<string, unknown> }>(
    "SELECT action, admin_user_id, details FROM audit_log WHERE zendesk_account_id = $1 AND action = 'autotask_zone_moved'",
    [stack.accountId],
  )
  expect(audit).toEqual([
    { action: 'autotask_zone_moved', admin_user_id: null, details: { connectionId: after.id, from: expect.any(String), to: after.zone_url } },
  ])

  autotask.resetCounters()
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'And again.', public: true, authorId: agent.id })
  await cycle(stack)
  expect((await autotaskNotesOf(stack, ticket.id)).filter((item) => item.fields.Description === 'And again.')).toHaveLength(1)
  const later = autotask.counters()
  expect((later.byOperation.getZoneInfo ?? 0) + (later.byOperation.zoneInformation ?? 0)).toBe(0)
})
