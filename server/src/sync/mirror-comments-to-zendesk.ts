import { isOutcomeUnknown, isRateLimited } from '../errors/integration-error'
import { stillHoldsTickets } from './lease-heartbeat'
import { descriptionChangeBody, descriptionChangeKey } from './plan-description-change'
import { planCommentsToZendesk, type CommentDraft } from './plan-mirroring'
import type { CommentLedgerStore, LedgerEntry } from './ports/comment-ledger-store'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'
import { codeOf, messageOf, remoteMessageOf, retryAt } from './retry-policy'
import { piggybackFor, recordOwnUpdate } from './show-links-in-zendesk'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'

const PREVIEW_LENGTH = 500

/**
 * Autotask → Zendesk: notes PSA Link did not write become comments, one at a time per ticket in
 * creation order (Zendesk takes one comment per update), each behind its own pending ledger row.
 * A closed Zendesk ticket cannot take comments: its notes are recorded as skipped, not retried.
 */
export async function mirrorCommentsToZendesk(context: SyncContext, connection: ConnectionContext, items: TicketWork[]): Promise<void> {
  const mappings = connection.mappings!
  const creatorIds = [...new Set(items.flatMap((work) => work.notes.map((note) => note.creatorResourceId)).filter((id): id is number => id !== null))]
  const creatorNames = creatorIds.length > 0 ? await connection.gateway.resourceNames(creatorIds) : new Map<number, string>()

  for (const work of items) {
    const drafts = planCommentsToZendesk(work.notes, work.ledger, mappings, creatorNames)
    const descriptionDraft = planDescriptionChange(work)
    if (descriptionDraft) drafts.push(descriptionDraft)
    if (drafts.length === 0) continue
    const closed = work.ticket.status === 'closed'
    for (const [index, draft] of drafts.entries()) {
      const row = await claim(context, connection, work, draft)
      if (!row) continue
      if (closed) {
        await context.store.skipLedger(row.id, 'The Zendesk ticket is closed and cannot take comments.')
        context.counts.skipped += 1
        continue
      }
      if (!(await stillHoldsTickets(context, [work.ticket.id]))) {
        settle(work, { state: 'pending', message: 'The sync lease expired; retrying.', retryAt: context.now() })
        return
      }
      try {
        // A changed Autotask number or status rides along in the comment's update (Zendesk's per-ticket budget).
        const alsoShow = piggybackFor(context, connection, work)
        const { commentId, updatedAt } = await context.zendesk.addComment(work.ticket.id, { body: draft.body, public: draft.public }, alsoShow)
        await context.store.completeLedger(row.id, { zendeskCommentId: commentId })
        await recordOwnUpdate(context, work, alsoShow, updatedAt)
        row.state = 'done'
        if (draft.autotaskNoteId === null && work.autotaskTicket) work.synced = { ...work.synced, autotaskDescription: work.autotaskTicket.description }
        context.counts.commentsToZendesk += 1
      } catch (error) {
        const stop = await handleFailure(context, connection, work, row, error, drafts.length - index)
        if (stop) break
      }
    }
  }
}

/** A technician's edit of the Autotask description, posted as an internal comment (never on the first read). */
function planDescriptionChange(work: TicketWork): CommentDraft | null {
  const current = work.autotaskTicket?.description ?? null
  if (work.synced.autotaskDescription === undefined || current === work.synced.autotaskDescription || !current) return null
  const body = descriptionChangeBody(current)
  return { autotaskNoteId: null, naturalKey: descriptionChangeKey(body), body, previewText: body, public: false, authorName: 'Autotask', createdAt: new Date() }
}

async function claim(
  context: SyncContext<CommentLedgerStore>,
  connection: ConnectionContext,
  work: TicketWork,
  draft: CommentDraft,
): Promise<LedgerEntry | null> {
  const [row] = await context.store.insertPendingLedger([
    {
      zendeskAccountId: context.account.id,
      connectionId: connection.id,
      ticketLinkId: work.link!.id,
      origin: 'autotask',
      zendeskCommentId: null,
      autotaskNoteId: draft.autotaskNoteId,
      part: 1,
      naturalKey: draft.naturalKey,
      authorName: draft.authorName,
      isPublic: draft.public,
      preview: draft.previewText.slice(0, PREVIEW_LENGTH),
      sourceCreatedAt: draft.createdAt,
    },
  ])
  if (row) work.ledger.push(row)
  else if (draft.autotaskNoteId === null && work.autotaskTicket) work.synced = { ...work.synced, autotaskDescription: work.autotaskTicket.description }
  return row ?? null
}

/** Returns true when the rest of this ticket's comments must wait (throttled or Zendesk unreachable). */
async function handleFailure(
  context: SyncContext<CommentLedgerStore & SyncBookkeepingStore>,
  connection: ConnectionContext,
  work: TicketWork,
  row: LedgerEntry,
  error: unknown,
  remaining: number,
): Promise<boolean> {
  if (isRateLimited(error)) {
    // Definitely not written: drop the intent, keep the note for later (Zendesk's per-ticket limit).
    await context.store.deletePendingLedger(row.id)
    settle(work, {
      state: 'throttled',
      message: `Zendesk limits updates per ticket: ${remaining} note(s) waiting.`,
      waitingNotes: remaining,
      retryAt: retryAt(context.now(), error),
    })
    return true
  }
  const when = retryAt(context.now(), error)
  if (when === null) {
    // Refused for good (closed meanwhile, comment limit, invalid): skipped and recorded, the rest go on.
    await context.store.skipLedger(row.id, `Zendesk refused the comment: ${remoteMessageOf(error) ?? messageOf(error)}`)
    context.counts.skipped += 1
  }
  await context.store.recordProblem({
    zendeskAccountId: context.account.id,
    connectionId: connection.id,
    zendeskTicketId: work.ticket.id,
    autotaskTicketId: work.autotaskTicket?.id ?? null,
    code: codeOf(error, 'zendesk_comment_failed'),
    message: `An Autotask note could not be added to Zendesk ticket ${work.ticket.id}: ${messageOf(error)}`,
    remoteMessage: remoteMessageOf(error),
    retryAt: when,
  })
  context.counts.failed += 1
  const said = remoteMessageOf(error) ?? messageOf(error)
  const message = isOutcomeUnknown(error)
    ? `Zendesk did not confirm a comment (${said}); it is looked up before it is posted again.`
    : `Zendesk refused a comment: ${said}`
  settle(work, { state: 'error', message, retryAt: when })
  // A retryable failure leaves the row pending (it may have been written: the next pass looks for
  // it by its "Autotask note #" line first); later notes wait for it.
  return when !== null
}
