import type { TicketPicklists } from '@psa-link/shared'
import { eachAtOnce } from './each-at-once'
import { stillHoldsTickets } from './lease-heartbeat'
import type { ShownInZendesk, TicketLinkStore } from './ports/ticket-link-store'
import { messageOf, retryAt } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { TicketStateStore } from './ports/ticket-state-store'

/** Zendesk updates of shown links a pass keeps in flight. */
export const SHOW_LINKS_AT_ONCE = 4

/**
 * Zendesk-side visibility: the linked Autotask ticket's number and status in PSA Link's two Zendesk
 * ticket fields, and the linked tag, so Zendesk's own views, triggers and reports can use them.
 * Written only when they differ from what was last written (stored on the link), never to a closed
 * ticket (Zendesk refuses its updates). The update is PSA Link's own: its webhook events are
 * ignored (the integration user's), and the export's echo costs one comment read and writes nothing.
 */
export function showsLinks(context: SyncContext<unknown>): boolean {
  return context.account.showLinksInZendesk !== false && context.zendesk.canShowLinks()
}

/** What the ticket should show now: the Autotask number and the status as the picklist labels it. */
export function shownFor(picklists: TicketPicklists | null, work: TicketWork): ShownInZendesk | null {
  const ticket = work.autotaskTicket
  if (!ticket) return null
  const status = picklists?.status.find((option) => option.value === ticket.status)?.label ?? String(ticket.status)
  return { ticketNumber: ticket.ticketNumber, status }
}

export function sameShown(a: ShownInZendesk | null, b: ShownInZendesk | null): boolean {
  return a?.ticketNumber === b?.ticketNumber && a?.status === b?.status
}

function writable(work: TicketWork): boolean {
  return work.ticket.status !== 'closed' && work.ticket.status !== 'deleted'
}

/** A link Zendesk does not show yet though it could: the pass needs the Autotask ticket to show it. */
export function awaitsFirstShow(context: SyncContext<unknown>, work: TicketWork): boolean {
  return showsLinks(context) && work.link !== null && work.link.shownInZendesk === null && writable(work)
}

/**
 * The fields a comment update can carry for free: only when the tag is in place already (a tag
 * change replaces the tag list and so goes as a safe update of its own) and the values changed.
 */
export function piggybackFor(context: SyncContext<unknown>, connection: ConnectionContext, work: TicketWork): ShownInZendesk | undefined {
  if (!showsLinks(context) || !work.link || work.link.shownInZendesk === null) return undefined
  const wanted = shownFor(connection.picklists, work)
  return wanted && !sameShown(wanted, work.link.shownInZendesk) ? wanted : undefined
}

/**
 * Records PSA Link's own update of the ticket: what it now shows (stored when it changed), and the
 * ticket's time after it, so a tag change later in the same pass is a safe update against it.
 */
export async function recordOwnUpdate(
  context: SyncContext<TicketLinkStore>,
  work: TicketWork,
  shown: ShownInZendesk | null | undefined,
  updatedAt: Date,
): Promise<void> {
  const link = work.link!
  const next = shown === undefined ? link.shownInZendesk : shown
  if (shown !== undefined) await context.store.saveShownInZendesk(link.id, next)
  work.link = { ...link, shownInZendesk: next, zendeskOwnUpdateAt: updatedAt }
}

/** The ticket as read, at its time after PSA Link's own comments of this pass (they leave tags alone). */
function asLastWritten(work: TicketWork): TicketWork['ticket'] {
  const own = work.link?.zendeskOwnUpdateAt
  return own && own > work.ticket.updatedAt ? { ...work.ticket, updatedAt: own } : work.ticket
}

/**
 * After a pass over linked tickets: one update per ticket whose shown values changed (fields and,
 * for a ticket not yet shown, the tag). A conflict (someone changed the ticket since it was read,
 * so the tag list would be stale) is tried again by the next pass, against the ticket as it is.
 */
export async function showLinksInZendesk(
  context: SyncContext<TicketLinkStore & TicketStateStore>,
  connection: ConnectionContext,
  items: TicketWork[],
  nextCycleAt: Date,
): Promise<void> {
  if (!showsLinks(context)) return
  // A few tickets at a time: a hold of a hundred new links would otherwise keep its tickets (and a
  // Sync now waiting on one of them) for a hundred Zendesk round trips. Each ticket's update is
  // its own, and the client waits out Zendesk's per-minute update limit whatever the pace.
  await eachAtOnce(items, SHOW_LINKS_AT_ONCE, async (work) => {
    const state = work.outcome?.state
    if (state === 'throttled' || state === 'pending' || !work.link || !writable(work)) return
    const wanted = shownFor(connection.picklists, work)
    if (!wanted || sameShown(wanted, work.link.shownInZendesk)) return
    if (!(await stillHoldsTickets(context, [work.ticket.id]))) return
    try {
      const { updatedAt } = await context.zendesk.showLink(asLastWritten(work), wanted, work.link.shownInZendesk === null ? 'add' : 'keep')
      await recordOwnUpdate(context, work, wanted, updatedAt)
    } catch (error) {
      context.log.warn({ err: error, ticketId: work.ticket.id }, `the Autotask ticket could not be shown in Zendesk: ${messageOf(error)}`)
      const when = retryAt(context.now(), error)
      // Stays on the dirty list and is written by a later pass (the link itself is in step). A
      // refusal for good is only logged: it is tried again when the ticket next changes.
      if (when !== null) settle(work, { state: 'linked', message: null, retryAt: when < nextCycleAt ? nextCycleAt : when })
    }
  })
}

/** Unlink: clears the fields and removes the tag where PSA Link had shown the link. */
export async function hideLinkInZendesk(
  context: SyncContext<unknown>,
  ticket: TicketWork['ticket'],
  shown: ShownInZendesk | null,
): Promise<{ updatedAt: Date } | null> {
  if (shown === null || !context.zendesk.canShowLinks() || ticket.status === 'closed' || ticket.status === 'deleted') return null
  return context.zendesk.showLink(ticket, null, 'remove')
}
