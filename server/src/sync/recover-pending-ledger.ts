import { DESCRIPTION_CHANGED_HEADER, parseCommentNoteTitle, parseNoteCommentHeader } from '@psa-link/shared'
import type { AutotaskNote } from './ports/autotask-gateway'
import type { CommentLedgerStore, LedgerEntry } from './ports/comment-ledger-store'
import type { ZendeskComment } from './ports/zendesk-gateway'
import { descriptionChangeKey } from './plan-description-change'

/**
 * Resolves ledger rows left 'pending' by an interrupted pass (crash between the remote create and
 * the ledger update): an item found on the other side by its natural key is completed; one not
 * found is removed, so planning creates it again. Runs under the ticket's lease, before planning.
 *
 * The natural key is text anyone can type, so only items PSA Link itself wrote count as found:
 * on Zendesk a comment by the integration user; on Autotask a note by the resource PSA Link writes
 * as (the connection's stored own resource; without it, the one PSA Link's other notes on the
 * ticket show), and never a note another row already claims. A customer's or technician's
 * look-alike is left alone and mirrored like any other.
 */
export async function recoverPendingLedger(
  store: Pick<CommentLedgerStore, 'completeLedger' | 'deletePendingLedger'>,
  ledger: LedgerEntry[],
  autotaskNotes: AutotaskNote[],
  zendeskComments: ZendeskComment[] | null,
  integrationUserId: number,
  ownResourceId: number | null = null,
): Promise<LedgerEntry[]> {
  const claimedNotes = new Set(ledger.map((entry) => entry.autotaskNoteId).filter((id): id is number => id !== null))
  const claimedComments = new Set(ledger.map((entry) => entry.zendeskCommentId).filter((id): id is number => id !== null))
  const ownNotes = autotaskNotes.filter((note) => isOwnNote(note, ledger))
  const ownCreators = new Set(ownNotes.map((note) => note.creatorResourceId))
  // Only when the resource is unknown does a ticket's very first note fall back to its title.
  const writtenByPsaLink = (note: AutotaskNote) =>
    ownResourceId !== null ? note.creatorResourceId === ownResourceId : ownCreators.size === 0 || ownCreators.has(note.creatorResourceId)
  const resolved: LedgerEntry[] = []
  for (const entry of ledger) {
    if (entry.state !== 'pending') {
      resolved.push(entry)
      continue
    }
    if (entry.origin === 'zendesk') {
      const note = autotaskNotes
        .filter((candidate) => !claimedNotes.has(candidate.id) && writtenByPsaLink(candidate))
        .find((candidate) => candidate.title === entry.naturalKey || matchesCommentPart(candidate, entry))
      if (note) {
        await store.completeLedger(entry.id, { autotaskNoteId: note.id })
        claimedNotes.add(note.id)
        resolved.push({ ...entry, state: 'done', autotaskNoteId: note.id })
      } else {
        await store.deletePendingLedger(entry.id)
      }
      continue
    }
    // Autotask-origin rows need the Zendesk comments to decide; without them the row waits.
    if (!zendeskComments) {
      resolved.push(entry)
      continue
    }
    const comment = zendeskComments
      .filter((candidate) => candidate.authorId === integrationUserId && !claimedComments.has(candidate.id))
      .find((candidate) =>
        entry.autotaskNoteId !== null
          ? parseNoteCommentHeader(candidate.body) === entry.autotaskNoteId
          : candidate.body.trimStart().startsWith(DESCRIPTION_CHANGED_HEADER) && descriptionChangeKey(candidate.body) === entry.naturalKey,
      )
    if (comment) {
      await store.completeLedger(entry.id, { zendeskCommentId: comment.id })
      claimedComments.add(comment.id)
      resolved.push({ ...entry, state: 'done', zendeskCommentId: comment.id })
    } else {
      await store.deletePendingLedger(entry.id)
    }
  }
  return resolved
}

/** A note the ledger records PSA Link creating (a Zendesk-origin row completed with its id). */
function isOwnNote(note: AutotaskNote, ledger: LedgerEntry[]): boolean {
  return note.creatorResourceId !== null && ledger.some((entry) => entry.origin === 'zendesk' && entry.state === 'done' && entry.autotaskNoteId === note.id)
}

function matchesCommentPart(note: AutotaskNote, entry: LedgerEntry): boolean {
  const parsed = parseCommentNoteTitle(note.title)
  return parsed !== null && parsed.commentId === entry.zendeskCommentId && parsed.part === entry.part
}
