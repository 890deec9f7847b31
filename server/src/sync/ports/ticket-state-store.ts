import type { RouteCandidate, TicketStateReason, TicketSyncState } from '@psa-link/shared'

export interface TicketStateUpdate {
  state: TicketSyncState
  reason?: TicketStateReason | null
  message: string | null
  clusterId: string | null
  candidates?: RouteCandidate[]
  waitingNotes?: number
  /** When set, the ticket stays on the dirty list and is retried from then on. */
  retryAt: Date | null
  /**
   * Whether this pass read everything about the ticket (a full sync). Only such a pass takes a
   * ticket off the dirty list: a partial pass may not have seen what made it dirty.
   */
  complete: boolean
}

/** Leases (per ticket and per account's cycle), each ticket's sync state and the dirty list (sync/README.md R13). */
export interface TicketStateStore {
  /** Claims the per-ticket lease for those of `ticketIds` no one else holds; returns the claimed ids. */
  claimTickets(accountId: number, ticketIds: number[], owner: string, leaseSeconds: number): Promise<number[]>
  /** True while `owner` still holds an unexpired lease on every one of `ticketIds` (checked before remote writes). */
  holdsLeases(accountId: number, ticketIds: number[], owner: string, marginSeconds: number): Promise<boolean>
  releaseTickets(accountId: number, ticketIds: number[], owner: string): Promise<void>
  /** True when no live worker holds the ticket (a cheap check before waiting for it). */
  isTicketFree(accountId: number, ticketId: number): Promise<boolean>
  /** Extends every lease `owner` holds (tickets and the account's cycle) by `leaseSeconds` from now. */
  renewLeases(accountId: number, owner: string, leaseSeconds: number): Promise<void>
  /** Claims the account's cycle; false while another live worker runs one. */
  claimCycle(accountId: number, owner: string, leaseSeconds: number): Promise<boolean>
  releaseCycle(accountId: number, owner: string): Promise<void>
  setTicketState(accountId: number, ticketId: number, update: TicketStateUpdate): Promise<void>
  /**
   * The states of a whole hold in one statement; the open problems of those with `resolveProblems`
   * are resolved in the same statement, and with `releaseOwner` the leases it holds on them are let
   * go (a hold's last write and its release in one).
   */
  setTicketStates(accountId: number, updates: Array<TicketStateUpdate & { ticketId: number; resolveProblems?: boolean }>, releaseOwner?: string): Promise<void>
  /** Tickets on the dirty list that are due, oldest first. */
  dueDirtyTickets(accountId: number, limit: number): Promise<number[]>
  markDirty(accountId: number, ticketIds: number[], retryAt: Date): Promise<void>
}
