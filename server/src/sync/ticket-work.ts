import type { RouteCandidate, TicketStateReason, TicketSyncState } from '@psa-link/shared'
import type { AutotaskNote, AutotaskTicket } from './ports/autotask-gateway'
import type { LedgerEntry } from './ports/comment-ledger-store'
import type { SyncedValues, TicketLink } from './ports/ticket-link-store'
import type { ZendeskComment, ZendeskTicket } from './ports/zendesk-gateway'

/** Where one ticket ended up after a pass, for the sidebar and the dirty list. */
export interface TicketOutcome {
  state: TicketSyncState
  /** The cause where a state has several; the sidebar words it in the agent's language. */
  reason?: TicketStateReason
  message: string | null
  candidates?: RouteCandidate[]
  waitingNotes?: number
  /** Retry from then on (stays on the dirty list); null: nothing more to do until the ticket changes. */
  retryAt: Date | null
  /** Another worker held the ticket, so this pass did nothing with it. */
  busy?: boolean
}

/** One claimed ticket moving through a pass: what was read, what was decided, how it ended. */
export interface TicketWork {
  ticket: ZendeskTicket
  link: TicketLink | null
  /** Read lazily: only tickets whose Zendesk side changed (or that are synced in full) need them. */
  comments: ZendeskComment[] | null
  ledger: LedgerEntry[]
  autotaskTicket: AutotaskTicket | null
  /** Autotask notes of the linked ticket known to this pass (all of them in a full sync). */
  notes: AutotaskNote[]
  /**
   * `notes` is every note the Autotask ticket has: this pass created the ticket, so it has none of
   * its own yet, and a full sync need not read them. A technician's note added in the moments
   * since is a change like any other: the next cycle's note scan brings it.
   */
  notesComplete?: boolean
  synced: SyncedValues
  /** The Zendesk side changed (or a full sync was asked for): its comments must be read. */
  zendeskChanged: boolean
  outcome: TicketOutcome | null
}

export function settle(work: TicketWork, outcome: TicketOutcome): void {
  // The first definite outcome wins: a later phase must not paint over an error or a pause.
  work.outcome ??= outcome
}
