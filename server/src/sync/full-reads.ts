import type { AutotaskNote } from './ports/autotask-gateway'
import type { TicketLink } from './ports/ticket-link-store'
import type { ZendeskTicket } from './ports/zendesk-gateway'
import { groupBy } from './group-by'
import { readMissingComments } from './read-missing-comments'
import type { AutotaskPageReads } from './sync-tickets'
import type { ConnectionContext, SyncContext } from './sync-context'
import type { TicketWork } from './ticket-work'

/** What a full sync reads of one linked ticket; a `TicketWork` is one, and so is an early read's target. */
export type FullReadTarget = Pick<TicketWork, 'link' | 'comments' | 'ledger' | 'autotaskTicket' | 'notes' | 'notesComplete'> & {
  ticket: Pick<ZendeskTicket, 'id'>
}

/**
 * Every read a full sync makes, at once: the Autotask tickets still unread, their ledger, all their
 * notes and every Zendesk comment. One round trip's wait instead of four.
 */
export async function readEverythingAtOnce(context: SyncContext, connection: ConnectionContext, group: FullReadTarget[]): Promise<void> {
  const { gateway } = connection
  const unread = group.filter((work) => !work.autotaskTicket)
  // A ticket this pass created has no notes yet (a technician's note added since comes with the next note scan).
  const withNotes = group.filter((work) => !work.notesComplete)
  const [found, ledger, notes] = await Promise.all([
    unread.length > 0 ? gateway.getTickets(unread.map((work) => work.link!.autotaskTicketId!)) : Promise.resolve([]),
    context.store.getLedger(group.map((work) => work.link!.id)),
    withNotes.length > 0 ? gateway.findNotesByTicketIds(withNotes.map((work) => work.link!.autotaskTicketId!)) : Promise.resolve([]),
    readMissingComments(context.zendesk, group),
  ])
  const byId = new Map(found.map((ticket) => [ticket.id, ticket]))
  for (const work of unread) work.autotaskTicket = byId.get(work.link!.autotaskTicketId!) ?? null
  const ledgerByLink = groupBy(ledger, (entry) => entry.ticketLinkId)
  const notesByTicket = groupBy(notes, (note) => note.ticketId)
  for (const work of group) {
    work.ledger = ledgerByLink.get(work.link!.id) ?? []
    addNotes(work, notesByTicket.get(work.link!.autotaskTicketId!))
  }
}

/** Adds the notes `work` does not have yet (a scan may have given it some). */
export function addNotes(work: Pick<TicketWork, 'notes'>, notes: readonly AutotaskNote[] | undefined): void {
  const known = new Set(work.notes.map((note) => note.id))
  work.notes.push(...(notes ?? []).filter((note) => !known.has(note.id)))
}

/** A full sync's reads started before the Zendesk tickets were known, per connection. */
export interface EarlyFullReads {
  /**
   * Fills `group` (one connection's linked tickets) from the early reads; a ticket they did not
   * cover (its link was made in this pass) is read now. Throws what the reads threw.
   */
  fill(connection: ConnectionContext, group: TicketWork[]): Promise<void>
}

/**
 * Starts a full sync's reads for the claimed tickets' links while the Zendesk tickets are still
 * being read: only the lease is needed for them (a pending ledger entry is looked up in what the
 * remotes hold once the ticket is ours), not the ticket. Links that cannot be synced now (closed,
 * broken, a paused or unready connection) are not read; a Zendesk ticket that turns out deleted or
 * merged leaves its reads unused.
 */
export function startFullReads(
  context: SyncContext,
  claimed: number[],
  links: Map<number, TicketLink>,
  autotask: Map<number, AutotaskPageReads> | undefined,
): EarlyFullReads {
  const started = new Map<number, { targets: Map<number, FullReadTarget>; reads: Promise<void> }>()
  for (const connection of context.connections) {
    if (connection.paused || !connection.ready) continue
    const targets = new Map<number, FullReadTarget>()
    for (const id of claimed) {
      const link = links.get(id)
      if (!link || link.connectionId !== connection.id || link.autotaskTicketId === null || link.state === 'closed' || link.state === 'broken') continue
      const reads = autotask?.get(connection.id)
      targets.set(id, {
        ticket: { id },
        link,
        comments: null,
        ledger: [],
        autotaskTicket: reads?.tickets?.get(link.autotaskTicketId) ?? null,
        notes: [...(reads?.notes?.get(link.autotaskTicketId) ?? [])],
      })
    }
    if (targets.size === 0) continue
    const reads = readEverythingAtOnce(context, connection, [...targets.values()])
    // Awaited by `fill` when the tickets are synced; unused when none of them is.
    reads.catch(() => undefined)
    started.set(connection.id, { targets, reads })
  }
  return {
    async fill(connection, group) {
      const early = started.get(connection.id)
      const covered = early ? group.filter((work) => early.targets.get(work.ticket.id)?.link === work.link) : []
      const rest = group.filter((work) => !covered.includes(work))
      await Promise.all([covered.length > 0 ? early!.reads : undefined, rest.length > 0 ? readEverythingAtOnce(context, connection, rest) : undefined])
      for (const work of covered) {
        const target = early!.targets.get(work.ticket.id)!
        work.autotaskTicket ??= target.autotaskTicket
        work.comments ??= target.comments
        work.ledger = target.ledger
        addNotes(work, target.notes)
      }
    },
  }
}
