import type { AutotaskNote, AutotaskTicket } from './ports/autotask-gateway'
import type { ZendeskTicket } from './ports/zendesk-gateway'
import { linkNewTickets } from './link-new-tickets'
import { messageOf } from './retry-policy'
import type { SyncContext } from './sync-context'
import { syncLinkedTickets } from './sync-linked-tickets'
import type { TicketOutcome, TicketWork } from './ticket-work'
import { startFullReads } from './full-reads'
import { orderByLikelyWork } from './order-by-likely-work'

/** What a scan already read of one connection's Autotask side, keyed by Autotask ticket id. */
export interface AutotaskPageReads {
  /** Notes the scan saw change (only those: a full sync reads the rest). */
  notes?: Map<number, AutotaskNote[]>
  /** Tickets as the scan read them (saves a re-read; updates re-read anyway). */
  tickets?: Map<number, AutotaskTicket>
}

/**
 * Tickets read once claimed (Sync now): the Zendesk read then goes out with a full sync's other
 * reads, one round trip instead of two, and is never older than what a previous holder synced.
 */
export interface TicketsReadAfterClaim {
  ids: number[]
  read(ids: number[]): Promise<ZendeskTicket[]>
}

export interface SyncTicketsRequest {
  /** The tickets as Zendesk has them now, or their ids and how to read them after the claim. */
  tickets: ZendeskTicket[] | TicketsReadAfterClaim
  /** Read every comment and note of each ticket (Sync now, webhooks, retries) rather than only known changes. */
  full: boolean
  /** Tickets whose Zendesk side changed (their comments are read); ignored when `full`. */
  zendeskChanged?: Set<number>
  /** What the caller already read of Autotask (a cycle's change scan), by connection id. */
  autotask?: Map<number, AutotaskPageReads>
  /** When tickets that must wait (unrouted, paused, …) are looked at again. */
  nextCycleAt: Date
  /**
   * At most this many tickets are leased at a time (default: all of them). A long pass claims
   * them hold by hold, so a Sync now on a ticket further down waits for one hold, not the pass.
   */
  holdSize?: number
}

const BUSY_RETRY_MS = 30_000

/**
 * Syncs a batch of Zendesk tickets of one account: claims each ticket's lease, creates missing
 * Autotask tickets, then brings linked ones in step, and records where each ended up. Tickets
 * another worker holds are put on the dirty list instead of being touched.
 */
export async function syncTickets(context: SyncContext, request: SyncTicketsRequest): Promise<Map<number, TicketOutcome>> {
  const given = Array.isArray(request.tickets) ? request.tickets : null
  const byId = new Map((given ?? []).map((ticket) => [ticket.id, ticket]))
  let ids = given ? [...byId.keys()] : [...new Set((request.tickets as TicketsReadAfterClaim).ids)]
  const holdSize = Math.max(1, request.holdSize ?? ids.length)
  // The export's tickets in several holds: those likely to have Autotask work go first, so their
  // batched reads and writes are made once, not once per hold. Each hold reads its links again
  // once claimed; this read (one query for the batch) only orders. A scan's tickets all came with
  // Autotask changes: nothing to order.
  if (given && !request.full && !request.autotask && ids.length > holdSize) {
    ids = orderByLikelyWork([...byId.values()], await context.store.getLinks(context.account.id, ids), context.connections)
  }
  const outcomes = new Map<number, TicketOutcome>()
  for (let start = 0; start < ids.length; start += holdSize) {
    for (const [id, outcome] of await syncOneHold(context, request, byId, ids.slice(start, start + holdSize))) outcomes.set(id, outcome)
  }
  return outcomes
}

/** One hold: claims `ids`, works them, records their states and lets them go. */
async function syncOneHold(
  context: SyncContext,
  request: SyncTicketsRequest,
  byId: Map<number, ZendeskTicket>,
  ids: number[],
): Promise<Map<number, TicketOutcome>> {
  const claimed = await context.store.claimTickets(context.account.id, ids, context.owner, context.leaseSeconds)
  const claimedSet = new Set(claimed)
  const busy = ids.filter((id) => !claimedSet.has(id))
  if (busy.length > 0) await context.store.markDirty(context.account.id, busy, new Date(context.now().getTime() + BUSY_RETRY_MS))

  const outcomes = new Map<number, TicketOutcome>()
  for (const id of busy) outcomes.set(id, { state: 'pending', message: 'Another sync of this ticket is running.', retryAt: null, busy: true })
  if (claimed.length === 0) return outcomes

  let released = false
  try {
    const reader = Array.isArray(request.tickets) ? null : request.tickets
    const reading = reader ? reader.read(claimed) : null
    reading?.catch(() => undefined)
    const links = await context.store.getLinks(context.account.id, claimed)
    // While Zendesk answers, a full sync's other reads go out too.
    const early = reader && request.full ? startFullReads(context, claimed, links, request.autotask) : undefined
    if (reading) for (const ticket of await reading) byId.set(ticket.id, ticket)
    const items: TicketWork[] = claimed.map((id) => {
      const link = links.get(id) ?? null
      const reads = link?.autotaskTicketId ? request.autotask?.get(link.connectionId) : undefined
      return {
        ticket: byId.get(id)!,
        link,
        comments: null,
        ledger: [],
        autotaskTicket: (link?.autotaskTicketId && reads?.tickets?.get(link.autotaskTicketId)) || null,
        // A copy: the pass adds the notes it reads to it.
        notes: [...((link?.autotaskTicketId && reads?.notes?.get(link.autotaskTicketId)) || [])],
        synced: link?.synced ?? {},
        zendeskChanged: request.full || (request.zendeskChanged?.has(id) ?? false),
        outcome: null,
      }
    })
    try {
      await linkNewTickets(context, items, request.nextCycleAt)
      await syncLinkedTickets(context, items, { full: request.full, nextCycleAt: request.nextCycleAt, early })
    } catch (error) {
      context.log.error({ err: error }, 'ticket batch failed')
      for (const work of items)
        work.outcome ??= { state: 'error', message: `Sync failed: ${messageOf(error)}`, retryAt: new Date(context.now().getTime() + 60_000) }
    }
    const updates = items.map((work) => {
      const outcome = work.outcome ?? { state: 'pending' as const, message: null, retryAt: request.nextCycleAt }
      outcomes.set(work.ticket.id, outcome)
      return {
        ticketId: work.ticket.id,
        state: outcome.state,
        reason: outcome.reason ?? null,
        message: outcome.message,
        clusterId: work.ticket.clusterId,
        candidates: outcome.candidates ?? [],
        waitingNotes: outcome.waitingNotes ?? 0,
        retryAt: outcome.retryAt,
        complete: request.full,
        resolveProblems: outcome.state === 'linked' || outcome.state === 'not_eligible',
      }
    })
    // The whole hold's states (and resolved problems) in one statement, which also lets the hold go.
    await context.store.setTicketStates(context.account.id, updates, context.owner)
    released = true
    return outcomes
  } finally {
    if (!released) await context.store.releaseTickets(context.account.id, claimed, context.owner)
  }
}
