import type { RouteCandidate, TicketStateReason, TicketSyncState } from '@psa-link/shared'
import type { ExportPosition } from './zendesk-gateway'

/** The mapped values last written to Autotask and the Zendesk values they came from: the base for change detection. */
export interface SyncedValues {
  title?: string
  priority?: number
  status?: number
  accountId?: number
  installedProductId?: number
  zendeskStatus?: string
  clusterId?: string
  /** The Autotask description as last read, to notice technicians' edits. */
  autotaskDescription?: string | null
}

/** What the sidebar shows of the Autotask ticket, stored so it never has to ask Autotask. */
export interface AutotaskSnapshot {
  ticketNumber: string
  url: string
  title: string
  status: { id: number; label: string }
  priority: { id: number; label: string }
  accountName: string | null
  queue: { id: number; label: string } | null
  dueDateTime: string | null
}

export type LinkState = 'pending' | 'linked' | 'broken' | 'closed'

export interface TicketLink {
  id: number
  zendeskAccountId: number
  connectionId: number
  zendeskTicketId: number
  autotaskTicketId: number | null
  autotaskTicketNumber: string | null
  externalId: string
  state: LinkState
  synced: SyncedValues
  lastSyncedAt: Date | null
  /** What PSA Link last wrote to the Zendesk ticket's fields (and tagged it for); null: nothing. */
  shownInZendesk: ShownInZendesk | null
  /** The Zendesk ticket's updated time after PSA Link's own update in this pass (not stored). */
  zendeskOwnUpdateAt?: Date
}

/** The linked Autotask ticket as Zendesk views, triggers and reports see it (SYNC-RULES: visibility). */
export interface ShownInZendesk {
  ticketNumber: string
  /** The status's label in the connection's picklist, as people read it in Autotask. */
  status: string
}

export interface NewTicketLink {
  zendeskAccountId: number
  connectionId: number
  zendeskTicketId: number
  externalId: string
}

export type LedgerOrigin = 'zendesk' | 'autotask'

export interface LedgerEntry {
  id: number
  ticketLinkId: number
  origin: LedgerOrigin
  zendeskCommentId: number | null
  autotaskNoteId: number | null
  part: number
  naturalKey: string
  state: 'pending' | 'done' | 'skipped'
}

export interface NewLedgerEntry {
  zendeskAccountId: number
  connectionId: number
  ticketLinkId: number
  origin: LedgerOrigin
  /** The source item's id on its own side; the other side's id is filled in on completion. */
  zendeskCommentId: number | null
  autotaskNoteId: number | null
  part: number
  naturalKey: string
  authorName: string
  isPublic: boolean
  preview: string
  sourceCreatedAt: Date
}

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

export interface StoredRoute {
  connectionId: number
  installedProductId: number
  autotaskAccountId: number
  clusterId: string
}

/** A Cluster ID an admin routed by hand (it matched nothing, or several installed products). */
export interface RouteOverride {
  clusterId: string
  connectionId: number
  /** Null: the account alone, without an installed product. */
  installedProductId: number | null
  autotaskAccountId: number
}

export interface ProblemReport {
  zendeskAccountId: number
  connectionId: number | null
  zendeskTicketId: number | null
  autotaskTicketId: number | null
  code: string
  message: string
  remoteMessage: string | null
  retryAt: Date | null
}

export interface RunCounts {
  ticketsCreated: number
  ticketsUpdated: number
  notesToAutotask: number
  commentsToZendesk: number
  skipped: number
  failed: number
}

/** A pending link's Autotask ticket, once created (or found after an interrupted create). */
export interface LinkCompletion {
  autotaskTicketId: number
  ticketNumber: string
  synced: SyncedValues
  snapshot: AutotaskSnapshot
}

export interface LinkSyncUpdate {
  synced: SyncedValues
  snapshot?: AutotaskSnapshot
  state?: LinkState
  lastError?: string | null
}

/** Everything the engine keeps in its database, in domain words. */
export interface SyncStore {
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
   * are resolved in the same statement.
   */
  setTicketStates(accountId: number, updates: Array<TicketStateUpdate & { ticketId: number; resolveProblems?: boolean }>): Promise<void>
  /** Tickets on the dirty list that are due, oldest first. */
  dueDirtyTickets(accountId: number, limit: number): Promise<number[]>
  markDirty(accountId: number, ticketIds: number[], retryAt: Date): Promise<void>

  getLinks(accountId: number, ticketIds: number[]): Promise<Map<number, TicketLink>>
  findLinksByAutotaskIds(connectionId: number, autotaskTicketIds: number[]): Promise<TicketLink[]>
  /** Inserts intents to create; a link that already exists for the ticket is left alone and not returned. */
  insertPendingLinks(links: NewTicketLink[]): Promise<TicketLink[]>
  completeLink(linkId: number, result: LinkCompletion): Promise<void>
  /** completeLink for a whole create call's tickets, in one statement. */
  completeLinks(results: Array<LinkCompletion & { linkId: number }>): Promise<void>
  deletePendingLink(linkId: number): Promise<void>
  /** Moves a link to another Zendesk ticket (a merge); false when that ticket has a link already. */
  moveLinkToZendeskTicket(linkId: number, zendeskTicketId: number): Promise<boolean>
  /** Moves a link to another Autotask ticket (a merge); false when that ticket has a link already. */
  moveLinkToAutotaskTicket(linkId: number, autotask: { ticketId: number; ticketNumber: string }): Promise<boolean>
  saveLinkSync(linkId: number, update: LinkSyncUpdate): Promise<void>
  /** saveLinkSync for a whole group of tickets, in one statement. */
  saveLinkSyncs(updates: Array<LinkSyncUpdate & { linkId: number }>): Promise<void>
  /** Records what PSA Link last wrote to the Zendesk ticket's link fields (null: nothing, no tag). */
  saveShownInZendesk(linkId: number, shown: ShownInZendesk | null): Promise<void>

  getLedger(linkIds: number[]): Promise<LedgerEntry[]>
  /** Inserts intents to mirror; entries whose natural key is already there are not returned. */
  insertPendingLedger(entries: NewLedgerEntry[]): Promise<LedgerEntry[]>
  completeLedger(entryId: number, remote: { zendeskCommentId?: number; autotaskNoteId?: number }): Promise<void>
  /** completeLedger for a whole create call's entries, in one statement. */
  completeLedgers(entries: Array<{ entryId: number; zendeskCommentId?: number; autotaskNoteId?: number }>): Promise<void>
  skipLedger(entryId: number, reason: string): Promise<void>
  deletePendingLedger(entryId: number): Promise<void>

  findRoutes(accountId: number, clusterIds: string[]): Promise<StoredRoute[]>
  /** Replaces the cached routes of one connection for `clusterIds` (normalised) with what Autotask said. */
  saveRoutes(accountId: number, connectionId: number, clusterIds: string[], routes: StoredRoute[]): Promise<void>

  /** Routes admins set for `clusterIds` (normalised); they win over what Autotask says. */
  findRouteOverrides(accountId: number, clusterIds: string[]): Promise<RouteOverride[]>

  recordProblem(problem: ProblemReport): Promise<void>
  resolveProblems(accountId: number, ticketId: number): Promise<void>

  getExportPosition(accountId: number): Promise<ExportPosition | null>
  /** Advances the export cursor and puts `dirtyTicketIds` on the dirty list, in one transaction. */
  advanceExportPosition(accountId: number, position: ExportPosition, dirtyTicketIds: number[]): Promise<void>
  getNoteWatermark(connectionId: number): Promise<Date | null>
  advanceNoteWatermark(connectionId: number, watermark: Date): Promise<void>

  startRun(run: { accountId: number; connectionId: number | null; kind: 'cycle' | 'ticket' | 'backfill'; trigger: string }): Promise<number>
  /** Writes a running run's counts so far (the admin console shows them while it runs). */
  updateRunProgress(runId: number, counts: Record<string, number>): Promise<void>
  finishRun(runId: number, result: { status: 'succeeded' | 'degraded' | 'failed'; counts: RunCounts; apiUsage: Record<string, number>; error: string | null }): Promise<void>
}
