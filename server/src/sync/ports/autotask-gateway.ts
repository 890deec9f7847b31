import type { TicketPicklists } from '@psa-link/shared'
import type { IntegrationError } from '../../errors/integration-error'

export interface AutotaskTicket {
  id: number
  ticketNumber: string
  title: string
  description: string | null
  accountId: number
  installedProductId: number | null
  status: number
  priority: number
  queueId: number | null
  dueDateTime: Date | null
  externalId: string | null
  createDate: Date | null
  lastActivityDate: Date | null
}

export interface NewAutotaskTicket {
  externalId: string
  title: string
  description: string
  accountId: number
  installedProductId: number | null
  status: number
  priority: number
  queueId: number | null
  sourceId: number | null
  ticketTypeId: number | null
  dueDateTime: Date
}

/** Only the one-way fields PSA Link owns; everything else on the ticket is left as Autotask has it. */
export type AutotaskTicketChanges = Partial<Pick<AutotaskTicket, 'title' | 'status' | 'priority' | 'accountId' | 'installedProductId'>>

export interface AutotaskNote {
  id: number
  ticketId: number
  title: string | null
  description: string
  noteType: number
  publish: number
  creatorResourceId: number | null
  createdAt: Date
  lastActivityDate: Date | null
}

export interface CreatedNote {
  id: number
}

export interface NewAutotaskNote {
  ticketId: number
  title: string
  description: string
  noteType: number
  publish: number
}

export interface InstalledProductRoute {
  installedProductId: number
  /** The InstalledProduct's ReferenceNumber, as Autotask has it. */
  referenceNumber: string
  autotaskAccountId: number
  active: boolean
}

/** Per-item outcome of a batch write, in input order: one bad record never hides the others. */
export type WriteResult<T> = { ok: true; value: T } | { ok: false; error: IntegrationError }

/**
 * One Autotask connection, in the engine's words. Implementations batch as their transport allows
 * (up to 200 entities per create or update and 500 rows per query, or one create per call) and
 * throw only IntegrationError for failures of a whole call.
 */
export interface AutotaskGateway {
  /** Entities one create call carries (200, or 1 one at a time): what a backfill's estimate prices creates by. */
  readonly entitiesPerCreate: number
  /**
   * How far back a change scan starting at `at` re-reads behind its watermark, in seconds:
   * LastActivityDate is not exact, and a transport that speaks local time repeats an hour when its
   * clocks fall back. The watermark advances to the scan's start less this (sync/README.md R14).
   */
  scanOverlapSeconds(at: Date): number
  /** Active InstalledProducts whose ReferenceNumber equals one of `clusterIds` (case-insensitive). */
  findRoutes(clusterIds: string[]): Promise<InstalledProductRoute[]>
  getTickets(ids: number[]): Promise<AutotaskTicket[]>
  findTicketsByExternalIds(externalIds: string[]): Promise<AutotaskTicket[]>
  /** Tickets by their display number (TicketNumber), e.g. to follow a merge a note names. */
  findTicketsByNumbers(ticketNumbers: string[]): Promise<AutotaskTicket[]>
  /** Each created ticket as Autotask stored it (read back after the write), in input order. */
  createTickets(tickets: NewAutotaskTicket[]): Promise<WriteResult<AutotaskTicket>[]>
  /** Applies `changes` to the ticket as Autotask has it right now, keeping technicians' other edits. */
  updateTickets(updates: { id: number; changes: AutotaskTicketChanges }[]): Promise<WriteResult<AutotaskTicket>[]>
  findNotesByTicketIds(ticketIds: number[]): Promise<AutotaskNote[]>
  /**
   * Notes whose LastActivityDate is at or after `since` (and before `until` when given), one page
   * (≤ 500 rows, by id) at a time: a scan is processed page by page, never held whole in memory.
   */
  scanNotesChangedSince(since: Date, until?: Date): AsyncIterable<AutotaskNote[]>
  /**
   * Notes on these tickets whose LastActivityDate is at or after `since`: one query per 500 tickets
   * (the watched-tickets scan of open sidebars).
   */
  findNotesOnTicketsChangedSince(ticketIds: number[], since: Date): Promise<AutotaskNote[]>
  /**
   * Tickets whose LastActivityDate is at or after `since` (and before `until` when given), page by
   * page, less those the scan shows only because of PSA Link's own writes: each of those goes to
   * `onOwnWrite` instead (a technician's note can still be on it: the cycle then has it at hand).
   * With `writtenSince` — every ticket PSA Link may have written to since it last saw it (see
   * SyncBookkeepingStore.ticketsWrittenSinceScan) — Autotask itself may leave out the tickets PSA
   * Link touched last and that are not among them: they are not read at all (nor given to
   * `onOwnWrite`). Without it, or when it is long, every changed ticket is read.
   */
  scanTicketsChangedSince(
    since: Date,
    until?: Date,
    onOwnWrite?: (ticket: AutotaskTicket) => void,
    writtenSince?: readonly number[],
  ): AsyncIterable<AutotaskTicket[]>
  /**
   * The new notes' ids, in input order. Not read back: the engine keeps only the id, and a read
   * after every 200-note call would be a third of a backfill's Autotask requests.
   */
  createNotes(notes: NewAutotaskNote[]): Promise<WriteResult<CreatedNote>[]>
  getPicklists(): Promise<TicketPicklists>
  /**
   * The Autotask resource PSA Link writes as, learned once per connection and stored; null when it
   * cannot be known (recovery then goes by the note's title alone).
   */
  ownResourceId(): Promise<number | null>
  resourceNames(ids: number[]): Promise<Map<number, string>>
  accountNames(ids: number[]): Promise<Map<number, string>>
  /** Active accounts whose name contains `text` (case-insensitive), at most `limit`: for people picking one. */
  searchAccounts(text: string, limit: number): Promise<{ id: number; name: string }[]>
  /** The ticket's page in Autotask's web UI. */
  ticketUrl(ticketId: number): string
}
