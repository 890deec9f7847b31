import type { SyncContext } from '../../../server/src/sync/sync-context'
import { ticketsOrDeleted } from '../../../server/src/sync/read-zendesk-tickets'
import { syncTickets } from '../../../server/src/sync/sync-tickets'
import { agentOf, autotaskNotesOf, autotaskTicketOf, openTicket } from '../../helpers/scenario'
import { cycle, linkOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { eventually, until } from '../../helpers/until'
import { callApi, sidebarToken, startApiStack } from '../api/api-stack'

// Sync now's latency: a full sync's reads go out together, and reading Zendesk while the database
// says whether the ticket is free must never sync a state older than the one a holder just synced.

let stack: TestStack
/** Autotask's priority for Zendesk's urgent (see field-mapping.test.ts). */
const CRITICAL = 4

beforeAll(async () => {
  stack = await startApiStack()
  for (const webhook of stack.sandbox.zendesk.state().webhooks.webhooks.values()) webhook.status = 'inactive'
})
afterAll(async () => stack?.close())

async function linkedTicket(subject: string, priority: 'normal' | null = null) {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject, priority })
  await cycle(stack)
  expect((await linkOf(stack, ticket.id))?.autotask_ticket_id).toBeTruthy()
  return ticket
}

/** `target` whose `methods` wait for `released` (counting themselves in `waiting` first). */
function holding<T extends object>(target: T, methods: string[], hold: { waiting: number; released: Promise<void> }): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown
      if (typeof property !== 'string' || !methods.includes(property) || typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        hold.waiting += 1
        await hold.released
        return (value as (...a: unknown[]) => unknown).apply(object, args)
      }
    },
  })
}

describe('Sync now reads', () => {
  it('asks Autotask for the ticket and its notes and Zendesk for the comments at once in a full sync', async () => {
    const ticket = await linkedTicket('Read at once')
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Read together.', public: true, authorId: agentOf(stack).id })
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    const tickets = await ticketsOrDeleted(base, [ticket.id])
    let release!: () => void
    const hold = { waiting: 0, released: new Promise<void>((resolve) => (release = resolve)) }
    const context: SyncContext = {
      ...base,
      zendesk: holding(base.zendesk, ['listComments'], hold),
      connections: base.connections.map((connection) => ({
        ...connection,
        gateway: holding(connection.gateway, ['getTickets', 'findNotesByTicketIds'], hold),
      })),
    }
    const syncing = syncTickets(context, { tickets, full: true, nextCycleAt: new Date(Date.now() + 300_000) })
    try {
      // One after the other, only the first read would ever be waiting.
      await eventually(() => hold.waiting === 3, 10_000, 'three reads waiting at once')
    } finally {
      release()
    }
    expect((await syncing).get(ticket.id)?.state).toBe('linked')
    expect((await autotaskNotesOf(stack, ticket.id)).some((note) => String(note.fields.Description).includes('Read together.'))).toBe(true)
  })

  it('reads the Zendesk ticket again after waiting for a worker that held it, so an older state is never pushed', async () => {
    const ticket = await linkedTicket('Read again after the wait', 'normal')
    // Another worker (a cycle) holds the ticket when the click comes.
    const holder = await stack.app.syncContexts.forAccount(stack.accountId)
    expect(await holder.store.claimTickets(stack.accountId, [ticket.id], holder.owner, 120)).toHaveLength(1)
    const reads = () => stack.sandbox.zendesk.counters()['GET /api/v2/tickets/show_many'] ?? 0
    const readsBefore = reads()
    const answer = callApi(stack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, sidebarToken(ticket.id))
    // The job has read the ticket as it was, and waits for the holder.
    await until(reads, (count) => count > readsBefore, 'the job to read the Zendesk ticket')
    // Meanwhile the priority changes, the holder syncs that change and lets the ticket go.
    stack.sandbox.zendesk.updateTicket(ticket.id, { priority: 'urgent' })
    const held = await syncTickets(holder, { tickets: await ticketsOrDeleted(holder, [ticket.id]), full: true, nextCycleAt: new Date(Date.now() + 300_000) })
    expect(held.get(ticket.id)?.state).toBe('linked')
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(CRITICAL)
    expect((await answer).status).toBe(200)
    // The ticket as read before the wait (normal) would have pushed Medium back over Critical.
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(CRITICAL)
  })
})
