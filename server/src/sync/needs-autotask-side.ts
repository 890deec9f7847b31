import { hasMergeNote } from './follow-autotask-merges'
import { plannedNotes } from './mirror-notes-to-autotask'
import { mayPushFields } from './push-field-changes'
import { awaitsFirstShow } from './show-links-in-zendesk'
import type { ConnectionContext, SyncContext } from './sync-context'
import type { TicketWork } from './ticket-work'

/**
 * True when a pass that is not a full sync must have `work`'s Autotask ticket: something is to be
 * written to Autotask for it (fields, notes), or decided from it (notes the scan saw that the
 * ledger does not know, a merge note, an interrupted write, a link to show in Zendesk for the first
 * time). Asked after the ledger and the Zendesk comments are read. Any other ticket is in step on
 * the Autotask side: the cycle's export brings back every ticket PSA Link itself commented on, and
 * reading those would cost one Autotask query per hold for nothing (issue 17). Such a ticket keeps
 * its stored snapshot (the sidebar's view, refreshed whenever the Autotask scan sees the ticket
 * change), and a deleted Autotask ticket is found as soon as there is work for it.
 */
export function needsAutotaskSide(context: SyncContext<unknown>, connection: ConnectionContext, work: TicketWork, integrationUserId: number): boolean {
  return (
    work.autotaskTicket !== null ||
    hasNotesToJudge(work) ||
    work.ledger.some((entry) => entry.state === 'pending') ||
    mayPushFields(work, connection) ||
    plannedNotes(work, integrationUserId).length > 0 ||
    awaitsFirstShow(context, work)
  )
}

/**
 * Notes the scan saw that the ledger does not know yet (to mirror, or to skip by type), or a merge
 * note. A scan's overlap brings back notes mirrored by an earlier cycle: on a ticket PSA Link
 * touched last (so not among the tickets the scan read) they would otherwise cost a read by id.
 */
function hasNotesToJudge(work: TicketWork): boolean {
  if (work.notes.length === 0) return false
  const known = new Set(work.ledger.map((entry) => entry.autotaskNoteId).filter((id): id is number => id !== null))
  return hasMergeNote(work) || work.notes.some((note) => !known.has(note.id))
}
