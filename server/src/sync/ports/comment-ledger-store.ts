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

/** The ledger of mirrored comments and notes: every create guarded by a pending row (sync/README.md R12). */
export interface CommentLedgerStore {
  getLedger(linkIds: number[]): Promise<LedgerEntry[]>
  /** Inserts intents to mirror; entries whose natural key is already there are not returned. */
  insertPendingLedger(entries: NewLedgerEntry[]): Promise<LedgerEntry[]>
  completeLedger(entryId: number, remote: { zendeskCommentId?: number; autotaskNoteId?: number }): Promise<void>
  /** completeLedger for a whole create call's entries, in one statement. */
  completeLedgers(entries: Array<{ entryId: number; zendeskCommentId?: number; autotaskNoteId?: number }>): Promise<void>
  skipLedger(entryId: number, reason: string): Promise<void>
  deletePendingLedger(entryId: number): Promise<void>
}
