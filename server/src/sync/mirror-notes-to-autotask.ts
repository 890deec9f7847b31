import { DESCRIPTION_CONTINUED_TITLE, NOTE_PUBLISH, TICKET_DESCRIPTION_MAX, descriptionContinuedTitle, splitIntoParts } from '@psa-link/shared'
import { stillHoldsTickets } from './lease-heartbeat'
import type { NewAutotaskNote } from './ports/autotask-gateway'
import type { CommentLedgerStore, LedgerEntry, NewLedgerEntry } from './ports/comment-ledger-store'
import { commentText, planNotesToAutotask, type NoteDraft } from './plan-mirroring'
import { reportTicketFailure } from './report-ticket-failure'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'
import type { TicketStateStore } from './ports/ticket-state-store'

const PREVIEW_LENGTH = 500
const NOTE_FAILURE = {
  fallbackCode: 'autotask_note_failed',
  whatFailed: 'A comment could not be added to the Autotask ticket',
  refusal: 'Autotask refused a note',
}

/**
 * Zendesk → Autotask: each comment after the first becomes a TicketNote (and a description longer
 * than Ticket.Description allows continues in notes). Every note's ledger row is committed as
 * 'pending' before the batch create and completed with the note id after it.
 */
export async function mirrorNotesToAutotask(
  context: SyncContext<CommentLedgerStore & TicketStateStore & SyncBookkeepingStore>,
  connection: ConnectionContext,
  items: TicketWork[],
): Promise<void> {
  const integrationUserId = await context.zendesk.integrationUserId()
  const planned: { work: TicketWork; draft: NoteDraft }[] = []
  for (const work of items) {
    for (const draft of plannedNotes(work, integrationUserId)) planned.push({ work, draft })
  }
  if (planned.length === 0) return

  const entries: NewLedgerEntry[] = planned.map(({ work, draft }) => ({
    zendeskAccountId: context.account.id,
    connectionId: connection.id,
    ticketLinkId: work.link!.id,
    origin: 'zendesk',
    zendeskCommentId: draft.zendeskCommentId,
    autotaskNoteId: null,
    part: draft.part,
    naturalKey: draft.title,
    authorName: draft.authorName,
    isPublic: draft.isPublic,
    preview: draft.description.slice(0, PREVIEW_LENGTH),
    sourceCreatedAt: draft.createdAt,
  }))
  const inserted = await context.store.insertPendingLedger(entries)
  const rowKey = (linkId: number, naturalKey: string, part: number) => `${linkId}\u0000${naturalKey}\u0000${part}`
  const insertedByKey = new Map(inserted.map((row) => [rowKey(row.ticketLinkId, row.naturalKey, row.part), row]))
  const claimed = planned
    .map((entry) => ({ ...entry, row: insertedByKey.get(rowKey(entry.work.link!.id, entry.draft.title, entry.draft.part)) }))
    .filter((entry): entry is typeof entry & { row: LedgerEntry } => entry.row !== undefined)
  for (const { work, row } of claimed) work.ledger.push(row)
  if (claimed.length === 0) return

  const ticketIds = [...new Set(claimed.map(({ work }) => work.ticket.id))]
  if (!(await stillHoldsTickets(context, ticketIds))) {
    // Leave the rows pending: whoever holds the ticket next resolves them by natural key.
    for (const { work } of claimed) settle(work, { state: 'pending', message: 'The sync lease expired; retrying.', retryAt: context.now() })
    return
  }
  const notes: NewAutotaskNote[] = claimed.map(({ work, draft }) => ({
    ticketId: work.autotaskTicket!.id,
    title: draft.title,
    description: draft.description,
    noteType: connection.mappings!.noteTypeId,
    publish: draft.publish,
  }))
  let results
  try {
    results = await connection.gateway.createNotes(notes)
  } catch (error) {
    for (const { work } of claimed) await reportTicketFailure(context, connection, work, error, NOTE_FAILURE)
    return
  }
  // The call's created notes are recorded in one statement before any refusal is reported.
  await context.store.completeLedgers(
    results.flatMap((result, index) => (result.ok ? [{ entryId: claimed[index]!.row.id, autotaskNoteId: result.value.id }] : [])),
  )
  for (const [index, result] of results.entries()) {
    const { work, row } = claimed[index]!
    if (result.ok) {
      row.state = 'done'
      row.autotaskNoteId = result.value.id
      context.counts.notesToAutotask += 1
    } else if (!result.error.retryable) {
      // Failed for good: recorded and skipped, so the later notes still go (sync/README.md R10).
      await context.store.skipLedger(row.id, `Autotask refused the note: ${result.error.remoteMessage}`)
      await reportTicketFailure(context, connection, work, result.error, NOTE_FAILURE)
      context.counts.skipped += 1
    } else {
      await reportTicketFailure(context, connection, work, result.error, NOTE_FAILURE)
    }
  }
}

/** The notes `work` would get in Autotask now: description parts that did not fit, then new comments. */
export function plannedNotes(work: Pick<TicketWork, 'comments' | 'ledger'>, integrationUserId: number): NoteDraft[] {
  return [...descriptionContinuation(work), ...planNotesToAutotask(work.comments ?? [], work.ledger, integrationUserId)]
}

/** Parts 2… of a Zendesk description that did not fit Ticket.Description (8,000 characters). */
function descriptionContinuation(work: Pick<TicketWork, 'comments' | 'ledger'>): NoteDraft[] {
  const first = work.comments?.[0]
  if (!first) return []
  const parts = splitIntoParts(commentText(first), TICKET_DESCRIPTION_MAX)
  const done = new Set(work.ledger.filter((entry) => entry.zendeskCommentId === first.id).map((entry) => entry.part))
  return parts.slice(1).flatMap((description, index) => {
    const part = index + 2
    if (done.has(part)) return []
    return [
      {
        zendeskCommentId: first.id,
        part,
        naturalKey: DESCRIPTION_CONTINUED_TITLE,
        title: descriptionContinuedTitle(part, parts.length),
        description,
        publish: first.public ? NOTE_PUBLISH.allAutotaskUsers : NOTE_PUBLISH.internalOnly,
        authorName: first.authorName,
        isPublic: first.public,
        createdAt: first.createdAt,
      },
    ]
  })
}
