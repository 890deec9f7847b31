import type { SyncContext } from '../../../server/src/sync/sync-context'
import { ticketsOrDeleted } from '../../../server/src/sync/read-zendesk-tickets'
import { syncTickets, type SyncTicketsRequest } from '../../../server/src/sync/sync-tickets'
import { agentOf, autotaskNotesOf, autotaskTicketOf, openTicket } from '../../helpers/scenario'
import { cycle, linkOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { eventually, until } from '../../helpers/until'
import { callApi, sidebarToken, startApiStack } from '../api/api-stack'

// Sync now's latency: a full sync's reads go out together, the Zendesk ticket's with them, and it is
// read once the ticket is claimed, so a state older than the one a holder just synced is never synced.

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

/** `target` whose `methods` wait for `released` (counting themselves in `waiting` first); `calls` names each call and each answer. */
function holding<T extends object>(target: T, methods: string[], hold: { waiting: number; calls: string[]; released: Promise<void> }): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown
      if (typeof property !== 'string' || !methods.includes(property) || typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        hold.waiting += 1
        hold.calls.push(property)
        await hold.released
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args)
        hold.calls.push(`${property} answered`)
        return result
      }
    },
  })
}

/** The account's context with Zendesk's `zendeskMethods` and Autotask's `autotaskMethods` held until `release()`. */
async function heldCalls(zendeskMethods: string[], autotaskMethods = ['getTickets', 'findNotesByTicketIds']) {
  const base = await stack.app.syncContexts.forAccount(stack.accountId)
  let release!: () => void
  const hold = { waiting: 0, calls: [] as string[], released: new Promise<void>((resolve) => (release = resolve)) }
  const context: SyncContext = {
    ...base,
    zendesk: holding(base.zendesk, zendeskMethods, hold),
    connections: base.connections.map((connection) => ({
      ...connection,
      gateway: holding(connection.gateway, autotaskMethods, hold),
    })),
  }
  return { context, hold, release }
}

/**
 * Syncs a linked ticket with a new comment in full, its reads held (Zendesk's `zendeskMethods`,
 * Autotask's ticket and notes) until `reads` of them wait at once; the comment must reach Autotask.
 */
async function syncWithReadsHeld(
  subject: string,
  zendeskMethods: string[],
  reads: number,
  ticketsOf: (context: SyncContext, ticketId: number) => Promise<SyncTicketsRequest['tickets']>,
): Promise<void> {
  const ticket = await linkedTicket(subject)
  stack.sandbox.zendesk.addComment(ticket.id, { body: `${subject}: the comment.`, public: true, authorId: agentOf(stack).id })
  const { context, hold, release } = await heldCalls(zendeskMethods)
  const syncing = syncTickets(context, { tickets: await ticketsOf(context, ticket.id), full: true, nextCycleAt: new Date(Date.now() + 300_000) })
  try {
    await eventually(() => hold.waiting === reads, 10_000, `${reads} reads waiting at once`)
  } finally {
    release()
  }
  expect((await syncing).get(ticket.id)?.state).toBe('linked')
  expect((await autotaskNotesOf(stack, ticket.id)).some((note) => String(note.fields.Description).includes(`${subject}: the comment.`))).toBe(true)
}

/** The state of the ticket's newest per-ticket job. */
const jobState = (ticketId: number) => async () => {
  const { rows } = await stack.database.pool.query<{ state: string }>(
    `SELECT state FROM pgboss.job WHERE name = 'sync-ticket' AND (data->>'ticketId')::bigint = $1 ORDER BY created_on DESC LIMIT 1`,
    [ticketId],
  )
  return rows[0]?.state ?? null
}

describe('Sync now reads', () => {
  it('asks Autotask for the ticket and its notes and Zendesk for the comments at once in a full sync', async () => {
    // One after the other, only the first read would ever be waiting.
    await syncWithReadsHeld('Read at once', ['listComments'], 3, async (context, id) => ticketsOrDeleted(context, [id]))
  })

  it('reads the Zendesk ticket with the Autotask ticket, its notes and the comments when the tickets are read after the claim', async () => {
    // The Zendesk ticket read first and the rest after it, only it would be waiting.
    await syncWithReadsHeld('Ticket read with the rest', ['getTickets', 'listComments'], 4, async (context, id) => ({
      ids: [id],
      read: (ids: number[]) => ticketsOrDeleted(context, ids),
    }))
  })

  it('writes a new comment’s note only once the ticket’s field update was answered', async () => {
    const ticket = await linkedTicket('Priority and reply together', 'normal')
    const agent = agentOf(stack)
    // The agent raises the priority and replies; one sync carries both to Autotask. A workflow
    // rule the note sets off must find the ticket updated, so the note never overtakes the update.
    stack.sandbox.zendesk.updateTicket(ticket.id, { priority: 'urgent' }, agent.id)
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Raised: the cluster is down again.', public: true, authorId: agent.id })
    const { context, hold, release } = await heldCalls([], ['updateTickets', 'createNotes'])
    const syncing = syncTickets(context, { tickets: await ticketsOrDeleted(context, [ticket.id]), full: true, nextCycleAt: new Date(Date.now() + 300_000) })
    try {
      await eventually(() => hold.waiting === 1, 10_000, 'the update held')
    } finally {
      release()
    }
    expect((await syncing).get(ticket.id)?.state).toBe('linked')
    expect(hold.calls).toEqual(['updateTickets', 'updateTickets answered', 'createNotes', 'createNotes answered'])
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(CRITICAL)
    expect((await autotaskNotesOf(stack, ticket.id)).some((note) => String(note.fields.Description).includes('the cluster is down again'))).toBe(true)
  })

  it('closes the link when the Zendesk ticket read after the claim is deleted', async () => {
    const ticket = await linkedTicket('Deleted before the click')
    stack.sandbox.zendesk.deleteTicket(ticket.id)
    const context = await stack.app.syncContexts.forAccount(stack.accountId)
    const tickets = { ids: [ticket.id], read: (ids: number[]) => ticketsOrDeleted(context, ids) }
    const outcome = (await syncTickets(context, { tickets, full: true, nextCycleAt: new Date(Date.now() + 300_000) })).get(ticket.id)
    expect(outcome).toMatchObject({ state: 'closed', reason: 'deleted' })
    expect((await linkOf(stack, ticket.id))?.state).toBe('closed')
  })

  it('asks Autotask nothing when the ticket read after the claim belongs to a paused connection', async () => {
    const ticket = await linkedTicket('Paused before the click')
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    const context: SyncContext = { ...base, connections: base.connections.map((connection) => ({ ...connection, paused: true })) }
    const requestsBefore = stack.sandbox.autotask.counters().total
    const tickets = { ids: [ticket.id], read: (ids: number[]) => ticketsOrDeleted(context, ids) }
    const outcome = (await syncTickets(context, { tickets, full: true, nextCycleAt: new Date(Date.now() + 300_000) })).get(ticket.id)
    expect(outcome?.state).toBe('paused')
    expect(stack.sandbox.autotask.counters().total).toBe(requestsBefore)
  })

  it('reads the Zendesk ticket only once a worker that held it let it go, so an older state is never pushed', async () => {
    const ticket = await linkedTicket('Read again after the wait', 'normal')
    // Another worker (a cycle) holds the ticket when the click comes.
    const holder = await stack.app.syncContexts.forAccount(stack.accountId)
    expect(await holder.store.claimTickets(stack.accountId, [ticket.id], holder.owner, 120)).toHaveLength(1)
    const answer = callApi(stack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, sidebarToken(ticket.id))
    // The job has started, and waits for the holder.
    await until(jobState(ticket.id), (state) => state === 'active', 'the Sync now job to start')
    // Meanwhile the priority changes, the holder syncs that change and lets the ticket go.
    stack.sandbox.zendesk.updateTicket(ticket.id, { priority: 'urgent' })
    const held = await syncTickets(holder, { tickets: await ticketsOrDeleted(holder, [ticket.id]), full: true, nextCycleAt: new Date(Date.now() + 300_000) })
    expect(held.get(ticket.id)?.state).toBe('linked')
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(CRITICAL)
    expect((await answer).status).toBe(200)
    // The ticket as read before the wait (normal) would have pushed Medium back over Critical.
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(CRITICAL)
    // The click's first claim found the ticket held and put it on the dirty list; the full syncs since took it off.
    const { rows } = await stack.database.pool.query<{ dirty_since: Date | null }>(
      'SELECT dirty_since FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2',
      [stack.accountId, ticket.id],
    )
    expect(rows[0]?.dirty_since).toBeNull()
  })
})
