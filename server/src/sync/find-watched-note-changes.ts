import type { ConnectionContext } from './sync-context'

/** A linked ticket an open sidebar shows. */
export interface WatchedTicket {
  zendeskTicketId: number
  autotaskTicketId: number
}

export interface WatchedNoteScan {
  connection: ConnectionContext
  tickets: WatchedTicket[]
  /** Notes changed at or after this are asked for (the caller subtracts the overlap). */
  since: Date
  /** Which of these Autotask notes the comment ledger already holds (mirrored, skipped, or PSA Link's own). */
  knownNoteIds(noteIds: number[]): Promise<Set<number>>
}

/**
 * The Zendesk tickets among `tickets` that have an Autotask note the ordinary sync would mirror and
 * has not yet: one Autotask query for up to 500 tickets (the gateway batches), nothing written.
 * The caller then asks for an ordinary per-ticket sync of each, so the mirroring, ledger and echo
 * rules stay in one place. Notes already in the ledger and note types not mirrored to Zendesk do
 * not count: the re-read overlap would otherwise sync the same ticket on every scan.
 */
export async function findWatchedNoteChanges(scan: WatchedNoteScan): Promise<number[]> {
  const { connection, tickets } = scan
  if (tickets.length === 0 || !connection.ready || connection.paused || !connection.mappings) return []
  const notes = await connection.gateway.findNotesOnTicketsChangedSince(
    tickets.map((ticket) => ticket.autotaskTicketId),
    scan.since,
  )
  const mirrored = notes.filter((note) => connection.mappings!.noteTypesToZendesk.has(note.noteType))
  const known = await scan.knownNoteIds(mirrored.map((note) => note.id))
  const changedAutotaskTickets = new Set(mirrored.filter((note) => !known.has(note.id)).map((note) => note.ticketId))
  return tickets.filter((ticket) => changedAutotaskTickets.has(ticket.autotaskTicketId)).map((ticket) => ticket.zendeskTicketId)
}
