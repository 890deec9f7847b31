import type { ZendeskTicket } from './ports/zendesk-gateway'
import type { SyncContext } from './sync-context'

/** The Zendesk tickets for `ids`, in order; one Zendesk no longer has is reported as deleted. */
export async function ticketsOrDeleted(context: SyncContext<unknown>, ids: number[]): Promise<ZendeskTicket[]> {
  const found = await context.zendesk.getTickets(ids)
  const byId = new Map(found.map((ticket) => [ticket.id, ticket]))
  return ids.map(
    (id) =>
      byId.get(id) ?? {
        id,
        subject: null,
        status: 'deleted',
        priority: null,
        clusterId: null,
        tags: [],
        followUpOf: null,
        createdAt: new Date(0),
        updatedAt: context.now(),
      },
  )
}
