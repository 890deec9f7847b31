import type { ZendeskPriority, ZendeskStatus } from '@psa-link/shared'
import type { ShownInZendesk } from './ticket-link-store'

/** A Zendesk ticket as the engine needs it. `status` is 'deleted' for a deleted ticket in the export. */
export interface ZendeskTicket {
  id: number
  subject: string | null
  status: ZendeskStatus | 'deleted'
  priority: ZendeskPriority | null
  /** The Cluster ID custom field, trimmed; null when empty. */
  clusterId: string | null
  tags: string[]
  /** Set on a follow-up ticket: the closed ticket it follows up. */
  followUpOf: number | null
  createdAt: Date
  updatedAt: Date
}

export interface ZendeskComment {
  id: number
  authorId: number
  authorName: string
  public: boolean
  /** HTML body when Zendesk has one; the plain body otherwise. */
  htmlBody: string | null
  body: string
  attachmentNames: string[]
  createdAt: Date
}

/** Where the incremental export stands: a cursor once one exists, a start time before that. */
export type ExportPosition = { cursor: string } | { startTime: number }

export interface TicketChangesPage {
  tickets: ZendeskTicket[]
  next: ExportPosition
  endOfStream: boolean
}

/** A comment of the ticket-events export, with the ticket it belongs to. */
export interface ExportedComment {
  ticketId: number
  comment: ZendeskComment
}

/** One page of the time-based ticket-events export, comments only (seconds since the epoch). */
export interface CommentEventsPage {
  comments: ExportedComment[]
  /** Start the next page here: the export repeats this second, so a comment may come twice. */
  endTime: number
  endOfStream: boolean
}

/** One Zendesk account, in the engine's words. Implementations throw only IntegrationError. */
export interface ZendeskGateway {
  /** One page of the incremental ticket export from `position`. */
  readTicketChanges(position: ExportPosition): Promise<TicketChangesPage>
  /** The tickets that still exist among `ids` (a deleted one is absent or has status 'deleted'). */
  getTickets(ids: number[]): Promise<ZendeskTicket[]>
  /**
   * One page of the ticket-events export with its comments, from `startTime` (inclusive). Shares
   * Zendesk's 10-a-minute export limit with readTicketChanges. Optional: gateways that cannot
   * export events leave comments to listComments.
   */
  readCommentEvents?(startTime: number): Promise<CommentEventsPage>
  /** Every comment of a ticket, oldest first; the first is the ticket's description. */
  listComments(ticketId: number): Promise<ZendeskComment[]>
  /**
   * Adds a comment as the integration user; resolves with the new comment's id and the ticket's
   * updated time after it. `alsoShow` writes the link's fields in the same update.
   */
  addComment(ticketId: number, comment: { body: string; public: boolean }, alsoShow?: ShownInZendesk): Promise<{ commentId: number; updatedAt: Date }>
  /** Whether PSA Link's Autotask number and status fields exist in this Zendesk account. */
  canShowLinks(): boolean
  /**
   * Writes the linked Autotask ticket's number and status to PSA Link's ticket fields (null clears
   * them) in one update; `tag` adds or removes the linked tag in that same update, as a safe update
   * against the ticket as it was read. Resolves with the ticket's updated time after the write.
   */
  showLink(ticket: Pick<ZendeskTicket, 'id' | 'tags' | 'updatedAt'>, shown: ShownInZendesk | null, tag: 'add' | 'remove' | 'keep'): Promise<{ updatedAt: Date }>
  /** The Zendesk user PSA Link writes as: its events are never mirrored back. */
  integrationUserId(): Promise<number>
  /** A user's Zendesk role (`admin`, `agent`, `end-user`), or null when there is no such active user. */
  userRole(userId: number): Promise<string | null>
}
