import { runBackfill } from '../../../server/src/sync/run-backfill'
import { memoryBackfillStore, newBackfill } from '../../helpers/memory-backfill-store'
import { agentOf, autotaskNotesOf, autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import { cycle } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17, fewer requests: a backfill spends what it must (creates, read-backs, note creates) and
// nothing on reads whose answer it already knows.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  // A cycle that mirrors one comment: the gateway learns (and confirms) PSA Link's own resource
  // from that note, so the backfill below has no reason at all to read notes.
  const first = openTicket(stack, { clusterId: 'CL-1001', subject: 'Before the backfill' })
  stack.sandbox.zendesk.addComment(first.id, { body: 'A first reply.', public: true, authorId: agentOf(stack).id })
  await cycle(stack)
})
afterAll(async () => stack?.close())

it('reads no notes of the Autotask tickets a backfill batch has just created when it mirrors their comments', async () => {
  const agent = agentOf(stack)
  const ids = Array.from({ length: 4 }, (_, index) => {
    const ticket = openTicket(stack, { clusterId: 'CL-1002', subject: `Old ticket ${index}` })
    for (let reply = 0; reply < 2; reply += 1)
      stack.sandbox.zendesk.addComment(ticket.id, { body: `Reply ${reply} on ${index}`, public: true, authorId: agent.id })
    return ticket.id
  })
  const backfill = newBackfill(stack.accountId, new Date(Date.now() - 3_600_000))
  stack.sandbox.autotask.resetCounters()

  // Two batches, so a read per batch would show twice.
  const result = await runBackfill(await stack.app.syncContexts.forAccount(stack.accountId), memoryBackfillStore(backfill), backfill.id, {
    intervalSeconds: 300,
    batchSize: 2,
  })

  expect(result).toEqual({ state: 'succeeded' })
  for (const id of ids) {
    expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
    expect(await autotaskNotesOf(stack, id)).toHaveLength(2)
  }
  const operations = stack.sandbox.autotask.counters().byOperationAndEntity
  // 8 notes: SOAP creates a batch's 4 in one call, REST one note a call.
  const [connection] = await stack.app.tenants.listConnections(stack.accountId)
  expect(operations['create:TicketNote']).toBe(connection!.transport === 'soap' ? 2 : 8)
  expect(operations['query:TicketNote'] ?? 0).toBe(0)
})
