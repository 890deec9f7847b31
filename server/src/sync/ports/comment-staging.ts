import type { ExportedComment, ZendeskComment } from './zendesk-gateway'

/** How far a backfill's comment staging got (seconds since the epoch, as the export counts). */
export interface StagingPosition {
  /** Events from here on are staged: a ticket created earlier may have comments that are not. */
  fromTime: number
  /** Every event before this second is staged (the next page starts here). */
  untilTime: number
  /** The export said end_of_stream at untilTime: nothing older than its last minute is missing. */
  complete: boolean
}

/**
 * Comments a backfill staged from the ticket-events export, kept in the database between the
 * page that brought them and the batch that mirrors them. Keyed by comment id: a comment that
 * comes twice (pages repeat the second they end on) is stored once, its later copy winning.
 */
export interface CommentStaging {
  position(accountId: number, backfillId: number): Promise<StagingPosition | null>
  /** Stores one page's comments and the position after it, in one transaction. */
  stage(accountId: number, backfillId: number, comments: ExportedComment[], position: StagingPosition): Promise<void>
  /** The staged comments of `ticketIds`, each ticket's oldest first. */
  commentsOf(accountId: number, backfillId: number, ticketIds: number[]): Promise<Map<number, ZendeskComment[]>>
  /** Forgets everything the backfill staged (it has ended). */
  clear(accountId: number, backfillId: number): Promise<void>
}
