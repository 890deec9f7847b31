import { DESCRIPTION_CHANGED_HEADER, parseCommentNoteTitle, parseNoteCommentHeader } from '@psa-link/shared'
import type { AutotaskNote } from './ports/autotask-gateway'
import type { LedgerEntry, SyncStore } from './ports/sync-store'
import type { ZendeskComment } from './ports/zendesk-gateway'
import { descriptionChangeKey } from './plan-description-change'

/**
 * Resolves ledger rows left 'pending' by an interrupted pass (crash between the remote create and
 * the ledger update): an item found on the other side by its natural key is completed; one not
 * found is removed, so planning creates it again. Runs under the ticket's lease, before planning.
 */
export async function recoverPendingLedger(
  store: SyncStore,
  ledger: LedgerEntry[],
  autotaskNotes: AutotaskNote[],
  zendeskComments: ZendeskComment[] | null,
): Promise<LedgerEntry[]> {
  const resolved: LedgerEntry[] = []
  for (const entry of ledger) {
    if (entry.state !== 'pending') {
      resolved.push(entry)
      continue
    }
    if (entry.origin === 'zendesk') {
      const note = autotaskNotes.find((candidate) => candidate.title === entry.naturalKey || matchesCommentPart(candidate, entry))
      if (note) {
        await store.completeLedger(entry.id, { autotaskNoteId: note.id })
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
    const comment = zendeskComments.find((candidate) =>
      entry.autotaskNoteId !== null
        ? parseNoteCommentHeader(candidate.body) === entry.autotaskNoteId
        : candidate.body.trimStart().startsWith(DESCRIPTION_CHANGED_HEADER) && descriptionChangeKey(candidate.body) === entry.naturalKey,
    )
    if (comment) {
      await store.completeLedger(entry.id, { zendeskCommentId: comment.id })
      resolved.push({ ...entry, state: 'done', zendeskCommentId: comment.id })
    } else {
      await store.deletePendingLedger(entry.id)
    }
  }
  return resolved
}

function matchesCommentPart(note: AutotaskNote, entry: LedgerEntry): boolean {
  const parsed = parseCommentNoteTitle(note.title)
  return parsed !== null && parsed.commentId === entry.zendeskCommentId && parsed.part === entry.part
}
