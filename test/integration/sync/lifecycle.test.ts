import { cycle, linkOf, stateOf, syncOne } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, autotaskTicketOf, autotaskTicketsFor, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// server/src/sync/README.md R18, one event per test, over real HTTP against the emulators.
let stack: TestStack
let connectionId: number
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
  const { rows } = await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
  connectionId = rows[0]!.id
})
afterAll(async () => {
  await stack?.close()
})

async function linkedTicket() {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  return { ticket, autotaskId: (await linkOf(stack, ticket.id))!.autotask_ticket_id }
}

it('closes the link and keeps the Autotask ticket when the Zendesk ticket is deleted', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  stack.sandbox.zendesk.deleteTicket(ticket.id)
  await cycle(stack)
  expect((await linkOf(stack, ticket.id))?.state).toBe('closed')
  expect((await stateOf(stack, ticket.id))?.state).toBe('closed')
  expect(stack.sandbox.autotask.getTicket(autotaskId)).toBeDefined()
})

it('moves the link to the surviving Zendesk ticket of a merge when that one has none', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  const survivor = openTicket(stack, { clusterId: null })
  stack.sandbox.zendesk.mergeTickets([ticket.id], survivor.id)
  await cycle(stack)
  expect((await stateOf(stack, ticket.id))?.message).toContain(`merged into #${survivor.id}`)
  // A later sync of the merged ticket (a webhook, Sync now) still says where it went.
  expect(await syncOne(stack, ticket.id)).toMatchObject({ state: 'closed', message: expect.stringContaining(`merged into #${survivor.id}`) })
  expect((await linkOf(stack, survivor.id))?.autotask_ticket_id).toBe(autotaskId)
  expect(await linkOf(stack, ticket.id)).toBeUndefined()
  stack.sandbox.zendesk.addComment(survivor.id, { body: 'Continuing on the survivor', public: true, authorId: agentOf(stack).id })
  await cycle(stack)
  expect((await autotaskNotesOf(stack, survivor.id)).filter((note) => note.fields.Description === 'Continuing on the survivor')).toHaveLength(1)
  expect(stack.sandbox.autotask.getTicket(autotaskId)).toBeDefined()
})

it('closes the link of a merged Zendesk ticket whose survivor has its own Autotask ticket', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  const { ticket: survivor, autotaskId: survivorAutotaskId } = await linkedTicket()
  stack.sandbox.zendesk.mergeTickets([ticket.id], survivor.id)
  await cycle(stack)
  expect((await linkOf(stack, ticket.id))?.state).toBe('closed')
  expect((await linkOf(stack, survivor.id))?.autotask_ticket_id).toBe(survivorAutotaskId)
  expect(stack.sandbox.autotask.getTicket(autotaskId)).toBeDefined()
})

it('follows an Autotask merge to the surviving ticket without posting copied notes twice', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Before the merge', description: 'Checked the logs.' })
  await cycle(stack)
  // A ticket a technician opened in Autotask itself, not linked to Zendesk.
  const linked = stack.sandbox.autotask.getTicket(autotaskId)!
  const other = stack.sandbox.autotask.database().insert('Ticket', {
    Title: 'Opened by phone',
    Description: 'Customer called.',
    AccountID: linked.fields.AccountID ?? null,
    Status: 1,
    Priority: 2,
    DueDateTime: new Date(Date.now() + 86_400_000),
  })
  stack.sandbox.autotask.mergeTickets(autotaskId, other.id)
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  expect(link?.autotask_ticket_id).toBe(other.id)
  expect(link?.autotask_ticket_number).toBe(other.fields.TicketNumber)
  stack.sandbox.autotask.addTechnicianNote(other.id, { title: 'After the merge', description: 'Replaced the disk.' })
  await cycle(stack)
  await cycle(stack)
  const comments = zendeskCommentsOf(stack, ticket.id)
  expect(comments.filter((comment) => comment.body.includes('Checked the logs.'))).toHaveLength(1)
  expect(comments.filter((comment) => comment.body.includes('Replaced the disk.'))).toHaveLength(1)
})

it('creates a new Autotask ticket for a follow-up of a closed linked ticket, naming the original', async () => {
  const { ticket } = await linkedTicket()
  const original = await linkOf(stack, ticket.id)
  stack.sandbox.zendesk.closeTicket(ticket.id)
  await cycle(stack)
  const followUp = openTicket(stack, { clusterId: 'CL-1001', followupSourceId: ticket.id, comment: { body: 'It broke again.', public: true } })
  await cycle(stack)
  const created = await autotaskTicketOf(stack, followUp.id)
  expect(created?.id).not.toBe(original!.autotask_ticket_id)
  expect(String(created?.fields.Description)).toBe(`Follow-up of ${original!.autotask_ticket_number}\n\nIt broke again.`)
})

it('marks the link broken and does not recreate the ticket when it is deleted in Autotask', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  stack.sandbox.autotask.deleteTicket(autotaskId)
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'Any news?', public: true, authorId: agentOf(stack).id })
  await cycle(stack)
  await cycle(stack)
  expect((await linkOf(stack, ticket.id))?.state).toBe('broken')
  expect((await stateOf(stack, ticket.id))?.state).toBe('broken')
  expect(autotaskTicketsFor(stack, ticket.id)).toHaveLength(0)
  const { rows } = await stack.database.pool.query("SELECT code FROM sync_problems WHERE zendesk_ticket_id = $1 AND state = 'open'", [ticket.id])
  expect(rows.map((row) => row.code)).toContain('autotask_ticket_missing')
})

it('writes nothing while the connection is paused and applies every change on resume', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  await stack.app.tenants.setConnectionPaused(connectionId, true)
  const fresh = openTicket(stack, { clusterId: 'CL-1002' })
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'While paused', public: true, authorId: agentOf(stack).id })
  stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'Renamed while paused' })
  stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Paused note', description: 'Written while paused' })
  const before = stack.sandbox.autotask.counters()
  await cycle(stack)
  await cycle(stack)
  expect(autotaskTicketsFor(stack, fresh.id)).toHaveLength(0)
  expect((await stateOf(stack, fresh.id))?.state).toBe('paused')
  expect((await stateOf(stack, ticket.id))?.state).toBe('paused')
  const writes = (counters: ReturnType<typeof stack.sandbox.autotask.counters>) => (counters.byOperation.create ?? 0) + (counters.byOperation.update ?? 0)
  expect(writes(stack.sandbox.autotask.counters())).toBe(writes(before))
  expect(zendeskCommentsOf(stack, ticket.id).some((comment) => comment.body.includes('Written while paused'))).toBe(false)

  await stack.app.tenants.setConnectionPaused(connectionId, false)
  await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE dirty_since IS NOT NULL')
  await cycle(stack)
  expect(autotaskTicketsFor(stack, fresh.id)).toHaveLength(1)
  expect((await autotaskTicketOf(stack, ticket.id))?.fields.Title).toBe('Renamed while paused')
  expect((await autotaskNotesOf(stack, ticket.id)).some((note) => note.fields.Description === 'While paused')).toBe(true)
  expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.includes('Written while paused'))).toHaveLength(1)
})

it('marks the connection failing with Autotask’s own message on bad credentials and makes no tight retry loop', async () => {
  const other = await stack.app.tenants.createConnection({
    zendeskAccountId: stack.accountId,
    name: 'Wrong secret',
    zoneUrl: `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`,
    apiUsername: 'api@demo.test',
    secret: 'not-the-secret',
    integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
  })
  try {
    stack.sandbox.autotask.resetCounters()
    await cycle(stack)
    await cycle(stack)
    const { rows } = await stack.database.pool.query('SELECT status, status_message FROM autotask_connections WHERE id = $1', [other])
    expect(rows[0].status).toBe('failing')
    expect(rows[0].status_message).toMatch(/401|unauthori[sz]ed|credentials/i)
    // One refused call per cycle (its picklist load) and one zone look-up, then the connection is
    // left alone: no per-ticket retries against a connection whose credentials are refused.
    const { rejected, byOperation } = stack.sandbox.autotask.counters()
    expect(rejected.auth).toBe(2)
    expect(byOperation.zoneInformation ?? 0).toBeLessThanOrEqual(2)
  } finally {
    await stack.database.pool.query('UPDATE autotask_connections SET removed_at = now() WHERE id = $1', [other])
  }
})

it('syncs one ticket in full on demand (Sync now)', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Now', description: 'Brought in by Sync now' })
  const outcome = await syncOne(stack, ticket.id)
  expect(outcome?.state).toBe('linked')
  expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.includes('Brought in by Sync now'))).toHaveLength(1)
})
