import type { AutotaskGateway } from '../../../server/src/sync/ports/autotask-gateway'
import type { SyncStore } from '../../../server/src/sync/ports/sync-store'
import { runBackfill } from '../../../server/src/sync/run-backfill'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { memoryBackfillStore, newBackfill } from '../../helpers/memory-backfill-store'
import { agentOf, autotaskNotesOf, autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import { syncOne } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17: on REST (one entity a create call) a backfill batch used to create all its tickets
// before the first note went out, so Autotask's three TicketNote threads idled while the Ticket
// ones worked. Its holds now overlap (sync-overlapping-holds.ts): several holds at once, each with
// its own leases and ledger, behind the same request gate.

let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  // REST whatever the transport matrix says: only there does a create call carry one entity.
  await stack.database.pool.query("UPDATE autotask_connections SET transport = 'rest', updated_at = now() WHERE zendesk_account_id = $1", [stack.accountId])
  // Requests that take a little while, so the holds' writes really run side by side at the gate.
  stack.sandbox.autotask.setFaults({ latencyMs: 5 })
})
afterAll(async () => stack?.close())
afterEach(() => stack.sandbox.autotask.resetFaults())

/** `count` old tickets with `replies` comments after the description, each becoming a note. */
function openTicketsWithReplies(count: number, replies: number, subject: string): number[] {
  const agent = agentOf(stack)
  return Array.from({ length: count }, (_, index) => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: `${subject} ${index}` })
    for (let reply = 0; reply < replies; reply += 1)
      stack.sandbox.zendesk.addComment(ticket.id, { body: `Reply ${reply} on ${subject} ${index}`, public: true, authorId: agent.id })
    return ticket.id
  })
}

/** The context with every connection's gateway reporting when its create calls start and end. */
function recordingCreates(context: SyncContext, events: string[]): SyncContext {
  const recorded = (gateway: AutotaskGateway): AutotaskGateway =>
    new Proxy(gateway, {
      get(target, property, receiver) {
        if (property !== 'createTickets' && property !== 'createNotes') return Reflect.get(target, property, receiver)
        const create = Reflect.get(target, property, receiver) as (items: unknown[]) => Promise<unknown>
        return async (items: unknown[]) => {
          events.push(`${String(property)} start`)
          try {
            return await create.call(target, items)
          } finally {
            events.push(`${String(property)} end`)
          }
        }
      },
    })
  return { ...context, connections: context.connections.map((connection) => ({ ...connection, gateway: recorded(connection.gateway) })) }
}

async function expectEachOnce(ids: number[], notesEach: number) {
  for (const id of ids) {
    expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
    const notes = await autotaskNotesOf(stack, id)
    expect(notes).toHaveLength(notesEach)
    expect(new Set(notes.map((note) => String(note.fields.Title))).size).toBe(notesEach)
  }
}

async function leasedTickets(): Promise<number> {
  const { rows } = await stack.database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM ticket_sync_state WHERE zendesk_account_id = $1 AND lease_owner IS NOT NULL AND lease_expires_at > now()',
    [stack.accountId],
  )
  return rows[0]!.n
}

const threadRefusals = () => stack.sandbox.autotask.counters().rejected.threadThreshold ?? 0

it('creates the notes of earlier tickets while later ones are still being created, within three threads, when a REST backfill runs', async () => {
  const ids = openTicketsWithReplies(40, 2, 'Overlap')
  const events: string[] = []
  const context = recordingCreates(await stack.app.syncContexts.forAccount(stack.accountId), events)
  const backfill = newBackfill(stack.accountId, new Date(Date.now() - 3_600_000))
  stack.sandbox.autotask.resetCounters()

  const result = await runBackfill(context, memoryBackfillStore(backfill), backfill.id, { intervalSeconds: 300 })

  expect(result).toEqual({ state: 'succeeded' })
  await expectEachOnce(ids, 2)
  // The first notes went out before the last tickets were created: the holds overlapped.
  expect(events.indexOf('createNotes start')).toBeGreaterThanOrEqual(0)
  expect(events.indexOf('createNotes start')).toBeLessThan(events.lastIndexOf('createTickets end'))
  expect(threadRefusals()).toBe(0)
})

it('leaves nothing writing when a hold fails, and a second run with retried syncs links and mirrors everything exactly once', async () => {
  const ids = openTicketsWithReplies(40, 2, 'Crash')
  const base = await stack.app.syncContexts.forAccount(stack.accountId)
  // A crash in the middle of the batch: the third hold's claim fails while the first two write.
  let claims = 0
  const store = new Proxy(base.store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (property !== 'claimTickets') return value
      return (...args: Parameters<SyncStore['claimTickets']>) => {
        claims += 1
        if (claims === 3) return Promise.reject(new Error('the database went away'))
        return target.claimTickets(...args)
      }
    },
  })
  // And writes whose answer is lost: saved in Autotask, unknown to PSA Link.
  stack.sandbox.autotask.lostResponses.set({ rate: 0.1, mode: 'bad_gateway', seed: 17 })
  stack.sandbox.autotask.resetCounters()
  const first = newBackfill(stack.accountId, new Date(Date.now() - 3_600_000))

  const crashed = await runBackfill({ ...base, store }, memoryBackfillStore(first), first.id, { intervalSeconds: 300 })

  expect(crashed).toEqual({ state: 'failed', error: 'the database went away' })
  // The failure is heard only once every hold of the batch has stopped: none still holds a ticket.
  expect(await leasedTickets()).toBe(0)
  expect(stack.sandbox.autotask.lostResponses.settings().lost).toBeGreaterThan(0)

  stack.sandbox.autotask.lostResponses.clear()
  const second = { ...newBackfill(stack.accountId, new Date(Date.now() - 3_600_000)), id: 2 }
  expect(await runBackfill(await stack.app.syncContexts.forAccount(stack.accountId), memoryBackfillStore(second), second.id, { intervalSeconds: 300 })).toEqual(
    {
      state: 'succeeded',
    },
  )
  // Notes whose answer was lost on tickets the first run linked: a retry (here Sync now) finds them by natural key.
  for (const id of ids) await syncOne(stack, id)
  await expectEachOnce(ids, 2)
  expect(threadRefusals()).toBe(0)
})
