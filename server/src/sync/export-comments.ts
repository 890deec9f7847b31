import type { CommentStaging, StagingPosition } from './ports/comment-staging'
import type { ZendeskComment, ZendeskTicket } from './ports/zendesk-gateway'
import type { SyncContext } from './sync-context'

/**
 * Comments in bulk for a backfill: the ticket-events export (`include=comment_events`, ≤ 1000
 * events a page) instead of one comment read per ticket, when that costs less. Zendesk allows 10
 * export requests a minute against 700 requests of any kind (Enterprise), so one export page uses
 * as much of a minute's allowance as 70 comment reads: the export is chosen when its pages, at that
 * price, cost less than one read per ticket — never for a handful of tickets.
 */
export const READS_PER_EXPORT_PAGE = 70
export const EVENTS_PER_PAGE = 1000
/**
 * Events a ticket adds to the export when nothing better is known: its creation and a few comments
 * (an assumption; the dry run measures notes per ticket and passes its own figure).
 */
export const ASSUMED_EVENTS_PER_TICKET = 5

/**
 * Zendesk's exports leave out what changed in the minute before the request; twice that, and
 * every event older is taken to be in the export at its end of stream.
 */
export const SETTLED_SECONDS = 120

export type CommentMethod = 'export' | 'per-ticket'

export interface CommentPlan {
  method: CommentMethod
  /** Zendesk requests the chosen method spends on comments. */
  requests: number
}

/** The cheaper way to read the comments of `tickets` whose export window holds about `events` events. */
export function planCommentReads(tickets: number, events: number): CommentPlan {
  if (tickets === 0) return { method: 'per-ticket', requests: 0 }
  const pages = Math.max(1, Math.ceil(events / EVENTS_PER_PAGE))
  return pages * READS_PER_EXPORT_PAGE < tickets ? { method: 'export', requests: pages } : { method: 'per-ticket', requests: tickets }
}

/**
 * Pages of the ticket-events export for about `events` events falling in `seconds` distinct seconds.
 * A page holds 1000 and grows to the end of its last second, which the next page repeats: on average
 * it moves 1000 less half a second's events on (a whole second when one second fills a page). The
 * page that reaches the last ticket usually says end_of_stream itself (the benchmark: 13 pages for
 * 10,000 events in 40 s, and 2–3 for a few hundred tickets).
 */
export function exportPages(events: number, seconds: number): number {
  const perSecond = events / Math.max(1, seconds)
  const progress = perSecond >= EVENTS_PER_PAGE ? perSecond : EVENTS_PER_PAGE - perSecond / 2
  return Math.ceil(events / progress)
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/**
 * Stages the export's comments from `fromTime`, page by page, until every event up to `neededUntil`
 * (a second) is staged or the export ends; each page's comments are written with the position
 * after it (a crash resumes at the last staged page). A page repeats the second it ends on; staging
 * is keyed by comment id, so the repeat is stored once.
 */
export async function stageExportComments(
  context: SyncContext,
  staging: CommentStaging,
  backfillId: number,
  fromTime: number,
  neededUntil = Number.POSITIVE_INFINITY,
): Promise<StagingPosition> {
  const accountId = context.account.id
  let position = (await staging.position(accountId, backfillId)) ?? { fromTime, untilTime: fromTime, complete: false }
  const read = context.zendesk.readCommentEvents?.bind(context.zendesk)
  while (!position.complete && position.untilTime <= neededUntil && read) {
    const askedAt = seconds(context.now())
    const page = await read(position.untilTime)
    // At its end the export has shown every event older than its held-back minute: all before then is staged.
    const untilTime = Math.max(position.untilTime, page.endTime, page.endOfStream ? askedAt - SETTLED_SECONDS : 0)
    // A page that moves nothing forward would be read again for ever: what is staged stays usable.
    const stalled = untilTime === position.untilTime && !page.endOfStream
    const next = { fromTime: position.fromTime, untilTime, complete: page.endOfStream || stalled }
    await staging.stage(accountId, backfillId, page.comments, next)
    position = next
  }
  return position
}

/**
 * The staged comments of the `tickets` they are complete for: tickets created inside the staged
 * window (their description is its first event) and last updated before its end (every later
 * comment staged too). Any other ticket — older, changed since, or without a staged description —
 * is left to its own comment read.
 */
export async function stagedCommentsFor(
  context: SyncContext,
  staging: CommentStaging,
  backfillId: number,
  position: StagingPosition,
  tickets: ZendeskTicket[],
): Promise<Map<number, ZendeskComment[]>> {
  const covered = tickets.filter((ticket) => seconds(ticket.createdAt) >= position.fromTime && seconds(ticket.updatedAt) < position.untilTime)
  const staged = await staging.commentsOf(
    context.account.id,
    backfillId,
    covered.map((ticket) => ticket.id),
  )
  return new Map([...staged].filter(([, comments]) => comments.length > 0))
}

/**
 * A backfill's comments from the export, staged as its batches need them: a batch's tickets come
 * in export order, so staging keeps a page or two ahead of the mirroring and the export's 10
 * requests a minute are spread over the run instead of spent (and waited for) up front.
 */
export function exportCommentSource(context: SyncContext, staging: CommentStaging, backfillId: number, fromTime: number) {
  return {
    /** `batchContext` answering the comment reads of `tickets` from staging wherever it is complete. */
    async forBatch(batchContext: SyncContext, tickets: ZendeskTicket[]): Promise<SyncContext> {
      const inWindow = tickets.filter((ticket) => seconds(ticket.createdAt) >= fromTime)
      const neededUntil = Math.max(0, ...inWindow.map((ticket) => seconds(ticket.updatedAt)))
      const position = await stageExportComments(context, staging, backfillId, fromTime, neededUntil)
      return withStagedComments(batchContext, await stagedCommentsFor(context, staging, backfillId, position, tickets))
    },
  }
}

/** `context` whose Zendesk comment reads are answered from `staged` where it has the ticket. */
export function withStagedComments(context: SyncContext, staged: Map<number, ZendeskComment[]>): SyncContext {
  if (staged.size === 0) return context
  const zendesk = new Proxy(context.zendesk, {
    get(target, property, receiver) {
      if (property !== 'listComments') return Reflect.get(target, property, receiver)
      return async (ticketId: number) => {
        const comments = staged.get(ticketId)
        return comments ? comments.map((comment) => ({ ...comment })) : target.listComments(ticketId)
      }
    },
  })
  return { ...context, zendesk }
}
