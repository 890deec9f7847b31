import { createHash } from 'node:crypto'
import type { AutotaskTicketEntity } from './autotask-entities'
import { createBoundedLru } from './bounded-lru'

/** Tickets whose last own write is remembered: a backfill's worth between two cycles. */
export const OWN_WRITES_MAX_ENTRIES = 20_000

/**
 * Every value of a ticket the engine acts on (fields, description, the sidebar's snapshot), as a
 * short digest: two reads with the same digest show the engine nothing new.
 */
function digest(ticket: AutotaskTicketEntity): string {
  const values = [
    ticket.ticketNumber,
    ticket.title,
    ticket.description,
    ticket.accountId,
    ticket.installedProductId,
    ticket.status,
    ticket.priority,
    ticket.queueId,
    ticket.dueDateTime?.getTime() ?? null,
    ticket.completedDate?.getTime() ?? null,
  ]
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22)
}

/** Who touched the ticket last (SOAP LastActivityResourceID, REST lastActivityResourceID). */
export function lastActivityResourceId(ticket: AutotaskTicketEntity): number | null {
  for (const [name, value] of Object.entries(ticket.otherFields)) {
    if (name.toLowerCase() === 'lastactivityresourceid') return typeof value === 'number' ? value : null
  }
  return null
}

/**
 * PSA Link's own ticket writes, so the change scan can leave out what it only shows because PSA
 * Link wrote it (a create, a pushed field, a note that moved LastActivityDate) — after a backfill
 * that is every ticket. A scanned ticket is left out only when both hold:
 *   - Autotask says PSA Link's resource touched it last (LastActivityResourceID), and
 *   - every value the engine acts on equals the ticket as PSA Link's own last write read it back.
 * The second is what keeps a technician's edit: a description changed by a technician right
 * before PSA Link's write (same second, same window, LastActivityResourceID then naming PSA Link)
 * differs from the remembered read-back and comes back; one made after it names the technician.
 * A read-back that already showed a technician's edit was handled by the engine in that same pass
 * (it works on the read-back), or the ticket went to the dirty list, which reads tickets by id.
 * Unknown tickets (a restart, another instance's writes) are simply not left out.
 */
export function createOwnWrites(maxEntries = OWN_WRITES_MAX_ENTRIES) {
  const written = createBoundedLru<number, string>(maxEntries)

  return {
    /** The tickets as a create or update of PSA Link's read them back. */
    remember(tickets: readonly AutotaskTicketEntity[]): void {
      for (const ticket of tickets) written.set(ticket.id, digest(ticket))
    },
    /** True when the scan shows this ticket only because of PSA Link's own writes. */
    isOwnEcho(ticket: AutotaskTicketEntity, ownResourceId: number | undefined): boolean {
      if (ownResourceId === undefined || lastActivityResourceId(ticket) !== ownResourceId) return false
      const remembered = written.get(ticket.id)
      return remembered !== undefined && remembered === digest(ticket)
    },
    get size(): number {
      return written.size
    },
  }
}

export type OwnWrites = ReturnType<typeof createOwnWrites>
