import { allPages } from '../../helpers/all-pages'
import { runCycle } from '../../../server/src/sync/run-cycle'
import { cycle, linkOf, syncOne } from '../../helpers/sync-driver'
import { contextWithEditBeforeOwnNotes } from '../../helpers/edit-before-own-notes'
import { agentOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17: Autotask itself leaves the tickets PSA Link touched last out of the ticket change scan
// (sync/README.md R11, R14), yet a technician's edit next to one of PSA Link's writes — before it
// or after it, in the same window — still comes back. Acted out by a technician in the emulator's
// UI and an agent in Zendesk; PSA Link's writes are the engine's own.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => stack?.close())

/** A linked ticket with PSA Link's resource proven by one of its notes and a finished scan behind it. */
async function linkedTicket(subject: string) {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject })
  await cycle(stack)
  const autotaskId = (await linkOf(stack, ticket.id))!.autotask_ticket_id
  stack.sandbox.zendesk.addComment(ticket.id, { body: `Warm-up for ${subject}.`, public: true, authorId: agentOf(stack).id })
  await cycle(stack)
  await cycle(stack)
  return { ticket, autotaskId }
}

const descriptionChanges = (ticketId: number, text: string) =>
  zendeskCommentsOf(stack, ticketId).filter((comment) => comment.body.startsWith('Autotask description changed:') && comment.body.includes(text))

it('posts a technician’s description edit made just before PSA Link’s note on that ticket landed', async () => {
  const { ticket, autotaskId } = await linkedTicket('Edited before the note')
  // The pass reads the ticket, then — while it works — a technician edits the description, and
  // only then does PSA Link's note land: PSA Link's resource is the ticket's last activity.
  const context = await contextWithEditBeforeOwnNotes(stack, autotaskId, { Description: 'Rebooted the router first.' })
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'Any news?', public: true, authorId: agentOf(stack).id })
  await runCycle(context, { intervalSeconds: 300 })
  expect(stack.sandbox.autotask.getTicket(autotaskId)!.fields.LastActivityResourceID).toBe(await context.connections[0]!.gateway.ownResourceId())
  // That cycle's change scan, or the next one's, brings the edit back.
  await cycle(stack)

  expect(descriptionChanges(ticket.id, 'Rebooted the router first.')).toHaveLength(1)
})

it('posts a technician’s description edit made just after PSA Link’s note on that ticket', async () => {
  const { ticket, autotaskId } = await linkedTicket('Edited after the note')
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'Still broken.', public: true, authorId: agentOf(stack).id })
  await cycle(stack)
  stack.sandbox.autotask.editTicket(autotaskId, { Description: 'Replaced the cable after the note.' })

  await cycle(stack)

  expect(descriptionChanges(ticket.id, 'Replaced the cable after the note.')).toHaveLength(1)
})

it('reads no ticket PSA Link only wrote notes to before the last finished scan, and keeps one it wrote to since', async () => {
  const quiet = await linkedTicket('Quiet since the scan')
  const busy = await linkedTicket('Noted after the scan')
  const context = await stack.app.syncContexts.forAccount(stack.accountId)
  const { gateway, id: connectionId } = context.connections[0]!
  // Both tickets' last activity is a note of PSA Link's; only the busy one's came after the last scan started.
  stack.sandbox.zendesk.addComment(busy.ticket.id, { body: 'One more thing.', public: true, authorId: agentOf(stack).id })
  await syncOne(stack, busy.ticket.id)
  const { lastScanStartedAt } = await stack.app.syncStore.getScanClock(connectionId)
  const written = await stack.app.syncStore.ticketsWrittenSinceScan(connectionId, lastScanStartedAt!, 100)
  expect(written).toContain(busy.autotaskId)
  expect(written).not.toContain(quiet.autotaskId)

  stack.sandbox.autotask.resetCounters()
  const leftOutAfterReading: number[] = []
  const scanned = await allPages(
    gateway.scanTicketsChangedSince(new Date(Date.now() - 3_600_000), undefined, (ticket) => leftOutAfterReading.push(ticket.id), written),
  )

  // The quiet ticket is not even read; the busy one is read (and, unchanged since PSA Link's writes, left out).
  expect([...scanned.map((ticket) => ticket.id), ...leftOutAfterReading]).not.toContain(quiet.autotaskId)
  expect([...scanned.map((ticket) => ticket.id), ...leftOutAfterReading]).toContain(busy.autotaskId)
  expect(stack.sandbox.autotask.counters().byOperationAndEntity).toEqual({ 'query:Ticket': 1 })
})

it('keeps in the scan a ticket whose pass held it and never let go (a crash after a write)', async () => {
  const { ticket, autotaskId } = await linkedTicket('Held by a crashed pass')
  const connectionId = (await stack.app.syncContexts.forAccount(stack.accountId)).connections[0]!.id
  await stack.database.pool.query(
    `UPDATE ticket_sync_state SET lease_owner = 'crashed-instance', lease_expires_at = now() - interval '1 minute'
      WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2`,
    [stack.accountId, ticket.id],
  )

  const written = await stack.app.syncStore.ticketsWrittenSinceScan(connectionId, new Date(), 100)

  expect(written).toEqual([autotaskId])
})
