import type { ZendeskTicket } from './ports/zendesk-gateway'
import { routeClusterIds } from './route-tickets'
import type { SyncContext } from './sync-context'
import { normalizeClusterId } from './sync-context'
import { syncTickets } from './sync-tickets'
import type { TicketOutcome } from './ticket-work'

export interface OverlappingHoldsOptions {
  /** The first hold's tickets: small, so its notes start soon (default 10). */
  firstHold?: number
  /** Holds double up to this many tickets (default 100). */
  largestHold?: number
  /** Holds in flight at once (default 3). */
  holdsAtOnce?: number
}

export const FIRST_HOLD = 10
export const LARGEST_HOLD = 100
const HOLDS_AT_ONCE = 3

/**
 * True when every ready connection writes one entity per create call (REST). There a batch synced
 * as one hold idles Autotask: all its tickets are created before the first note goes out, while
 * the note creates (four to five times as many calls) could already run on their own three
 * threads. With batched creates (SOAP, 200 a call) smaller holds would only cost more calls.
 */
export function writesOneByOne(context: SyncContext<unknown>): boolean {
  const ready = context.connections.filter((connection) => connection.ready && !connection.paused)
  return ready.length > 0 && ready.every((connection) => connection.gateway.entitiesPerCreate === 1)
}

/** Hold sizes for `count` tickets: `first`, doubling up to `largest`, the last one what is left. */
export function holdSizes(count: number, first: number, largest: number): number[] {
  const sizes: number[] = []
  let size = Math.max(1, first)
  for (let done = 0; done < count; done += sizes[sizes.length - 1]!) {
    sizes.push(Math.min(size, count - done))
    size = Math.min(Math.max(1, largest), size * 2)
  }
  return sizes
}

/**
 * Syncs `tickets` in full (a backfill batch) as holds that overlap: a few holds run at once, each
 * claiming its own tickets, creating them and then their notes, so the notes of earlier tickets
 * are written while later tickets are created and Autotask's threads for each entity stay busy.
 * Every hold goes through syncTickets: the same leases, stored intents and ledger as any sync, and
 * the request gate keeps the three threads per entity however many holds run. The holds are small
 * at first (the first notes go out early) and grow (each hold's create calls end with one
 * read-back). The batch's Cluster IDs are routed once beforehand, so holds running side by side
 * find their routes stored instead of each asking Autotask; the tickets without a route (asked
 * again each time, by design) go together in one hold of their own. On a failure no new hold starts, the
 * running ones finish, and the first failure is thrown: nothing of this batch still writes when
 * the caller hears of it.
 */
export async function syncInOverlappingHolds(
  context: SyncContext,
  tickets: ZendeskTicket[],
  nextCycleAt: Date,
  options: OverlappingHoldsOptions = {},
): Promise<Map<number, TicketOutcome>> {
  const outcomes = new Map<number, TicketOutcome>()
  if (tickets.length === 0) return outcomes
  const routes = await routeClusterIds(
    context,
    tickets.flatMap((ticket) => (ticket.clusterId ? [ticket.clusterId] : [])),
  )
  const isRouted = (ticket: ZendeskTicket) => ticket.clusterId !== null && routes.get(normalizeClusterId(ticket.clusterId))?.kind === 'routed'
  const routed = tickets.filter(isRouted)
  const others = tickets.filter((ticket) => !isRouted(ticket))
  const holds: ZendeskTicket[][] = others.length > 0 ? [others] : []
  let start = 0
  for (const size of holdSizes(routed.length, options.firstHold ?? FIRST_HOLD, options.largestHold ?? LARGEST_HOLD)) {
    holds.push(routed.slice(start, start + size))
    start += size
  }
  let next = 0
  let failure: { error: unknown } | null = null
  async function worker(): Promise<void> {
    while (!failure && next < holds.length) {
      const hold = holds[next++]!
      try {
        for (const [id, outcome] of await syncTickets(context, { tickets: hold, full: true, nextCycleAt })) outcomes.set(id, outcome)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.holdsAtOnce ?? HOLDS_AT_ONCE, holds.length) }, worker))
  if (failure) throw (failure as { error: unknown }).error
  return outcomes
}
