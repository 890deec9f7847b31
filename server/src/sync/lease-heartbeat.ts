import type { SyncContext } from './sync-context'
import type { TicketStateStore } from './ports/ticket-state-store'

/**
 * Runs `work` while renewing every lease this worker holds, every quarter of the lease. A live
 * worker never loses its tickets however long a remote call takes; a crashed one stops renewing,
 * and its tickets are free again within one lease.
 */
export async function withLeaseHeartbeat<T>(context: SyncContext<TicketStateStore>, work: () => Promise<T>): Promise<T> {
  const renew = () =>
    context.store.renewLeases(context.account.id, context.owner, context.leaseSeconds).catch((error: unknown) => {
      context.log.warn({ err: error }, 'could not renew sync leases')
    })
  const timer = setInterval(() => void renew(), Math.max(250, (context.leaseSeconds * 1000) / 4))
  timer.unref()
  try {
    return await work()
  } finally {
    clearInterval(timer)
  }
}

/**
 * True while this worker's lease on every one of `ticketIds` outlives the next remote call by a
 * safe margin (half a lease): checked right before each remote write, as a fence.
 */
export function stillHoldsTickets(context: SyncContext<TicketStateStore>, ticketIds: number[]): Promise<boolean> {
  return context.store.holdsLeases(context.account.id, ticketIds, context.owner, context.leaseSeconds / 2)
}
