import type { SyncStore } from '../sync/ports/sync-store'
import type { Signals } from './signals'

/** Signalled when some of an account's tickets are let go (one signal per release, not per ticket). */
export const ticketsFreedTopic = (accountId: number): string => `tickets-freed:${accountId}`

/**
 * The store, with every release of ticket leases signalled: a Sync now waiting for a cycle to let
 * go of its ticket is woken at once instead of polling the lease.
 */
export function withReleaseSignals(store: SyncStore, signals: Signals): SyncStore {
  return {
    ...store,
    async releaseTickets(accountId, ticketIds, owner) {
      await store.releaseTickets(accountId, ticketIds, owner)
      // Not awaited: this process's waiters wake at once; the NOTIFY need not delay the sync.
      if (ticketIds.length > 0) void signals.publish(ticketsFreedTopic(accountId)).catch(() => undefined)
    },
    async setTicketStates(accountId, updates, releaseOwner) {
      await store.setTicketStates(accountId, updates, releaseOwner)
      if (releaseOwner !== undefined && updates.length > 0) void signals.publish(ticketsFreedTopic(accountId)).catch(() => undefined)
    },
  }
}
