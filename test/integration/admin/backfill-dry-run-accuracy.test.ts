import { estimateBackfill } from '../../../server/src/sync/run-backfill'
import { runBackfill } from '../../../server/src/sync/run-backfill'
import { createStagedCommentsRepository } from '../../../server/src/db/repositories/staged-comments-repository'
import { memoryBackfillStore, newBackfill } from '../../helpers/memory-backfill-store'
import { agentOf, openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { mulberry32 } from '@psa-link/shared'

let stack: TestStack
const TICKETS = 250

beforeAll(async () => {
  stack = await startScenario()
  const random = mulberry32(4242)
  const agent = agentOf(stack)
  // Ten minutes old, ten tickets a second: settled in Zendesk's exports (which hold back the last minute).
  const since = Date.now() - 600_000
  for (let index = 0; index < TICKETS; index += 1) {
    stack.sandbox.zendesk.setNow(new Date(since + index * 100))
    const ticket = openTicket(stack, { subject: `Old ticket ${index}`, clusterId: 'CL-1001' })
    // Skewed like real queues: most tickets have a few replies, some a long thread.
    const replies = random() < 0.15 ? 8 + Math.floor(random() * 12) : Math.floor(random() * 4)
    for (let reply = 0; reply < replies; reply += 1)
      stack.sandbox.zendesk.addComment(ticket.id, { body: `Reply ${reply}`, public: reply % 2 === 0, authorId: agent.id })
  }
  stack.sandbox.zendesk.setNow(null)
}, 120_000)
afterAll(async () => stack?.close())

describe('backfill dry run accuracy (issue 17)', () => {
  it('estimates the Autotask requests within 10% of the real backfill from a comment sample when threads are long-tailed', async () => {
    const { syncContexts: contexts } = stack.app
    const startAt = new Date(Date.now() - 3_600_000)
    const request = { startAt, includeSolved: false }
    const context = await contexts.forAccount(stack.accountId)

    const sampled = await contexts.measure(() => estimateBackfill(context, request))
    const exact = await estimateBackfill(context, request, { sampleSize: Number.POSITIVE_INFINITY })
    expect(sampled.result.routedTickets).toBe(TICKETS)
    expect(exact.sampledTickets).toBe(TICKETS)
    // The dry run read the comments of a sample only (more than 50 here: the threads are long-tailed).
    expect(sampled.result.sampledTickets).toBeGreaterThanOrEqual(50)
    expect(sampled.result.sampledTickets).toBeLessThan(TICKETS)

    const backfill = newBackfill(stack.accountId, startAt)
    const run = await contexts.measure(async () =>
      runBackfill(await contexts.forAccount(stack.accountId), memoryBackfillStore(backfill), backfill.id, {
        intervalSeconds: 300,
        commentStaging: createStagedCommentsRepository(stack.database.pool),
      }),
    )
    expect(run.result).toEqual({ state: 'succeeded' })
    expect(backfill.progress.ticketsCreated).toBe(TICKETS)
    // 250 tickets: the comments come from the event export, and the dry run counted that method.
    expect(sampled.result.commentMethod).toBe('export')

    const error = (estimate: number) => Math.abs(estimate - run.requests.autotask) / run.requests.autotask
    console.info(
      `dry run: ${sampled.result.sampledTickets} of ${TICKETS} tickets sampled (${sampled.requests.zendesk} Zendesk requests); notes sampled ${sampled.result.notes} vs exact ${exact.notes} vs created ${backfill.progress.notesCreated}; ` +
        `Autotask requests sampled ${sampled.result.autotaskRequests} (error ${(error(sampled.result.autotaskRequests) * 100).toFixed(1)}%), ` +
        `exact-comments ${exact.autotaskRequests} (error ${(error(exact.autotaskRequests) * 100).toFixed(1)}%), real ${run.requests.autotask}`,
    )
    expect(error(sampled.result.autotaskRequests)).toBeLessThanOrEqual(0.1)
    // The Zendesk estimate predicts the backfill's requests, not the dry run's own.
    const zendeskError = Math.abs(sampled.result.zendeskRequests - run.requests.zendesk) / run.requests.zendesk
    console.info(`Zendesk requests estimated ${sampled.result.zendeskRequests}, real ${run.requests.zendesk} (error ${(zendeskError * 100).toFixed(1)}%)`)
    expect(zendeskError).toBeLessThanOrEqual(0.1)
  }, 240_000)
})
