import type { TicketLink } from './ports/ticket-link-store'
import type { ZendeskTicket } from './ports/zendesk-gateway'
import { mayPushFields } from './push-field-changes'
import type { ConnectionContext } from './sync-context'

/**
 * True when a ticket from the Zendesk export likely has Autotask work: a ticket to link (a create),
 * a create that was interrupted, a mapped field that differs from what was last synced, or a
 * change made after PSA Link's own last update of the ticket (an agent's comment, say). A linked
 * ticket whose export time is PSA Link's own update (its mirrored comment coming back) likely has
 * none. A guess from the ticket and its link alone, to order work by, never to skip it: Zendesk's
 * times are to the second, so an agent's comment in the second of PSA Link's own reads as none.
 */
export function likelyHasAutotaskWork(ticket: ZendeskTicket, link: TicketLink | undefined, connection: ConnectionContext | undefined): boolean {
  if (!link) return ticket.clusterId !== null && ticket.clusterId.trim() !== ''
  if (link.state === 'pending') return true
  if (link.state !== 'linked' || !connection?.mappings) return false
  if (link.zendeskWrittenAt === null || ticket.updatedAt > link.zendeskWrittenAt) return true
  return mayPushFields({ ticket, synced: link.synced }, connection)
}

/**
 * The batch's ticket ids, those likely to have Autotask work first (each part in its given order).
 * Cut into holds afterwards, the work gathers in the first holds: each hold's Autotask reads and
 * writes are batched calls, so work spread over every hold would cost a call per hold (issue 17).
 */
export function orderByLikelyWork(tickets: ZendeskTicket[], links: Map<number, TicketLink>, connections: ConnectionContext[]): number[] {
  const byId = new Map(connections.map((connection) => [connection.id, connection]))
  const likely: number[] = []
  const rest: number[] = []
  for (const ticket of tickets) {
    const link = links.get(ticket.id)
    const connection = link ? byId.get(link.connectionId) : undefined
    ;(likelyHasAutotaskWork(ticket, link, connection) ? likely : rest).push(ticket.id)
  }
  return [...likely, ...rest]
}
