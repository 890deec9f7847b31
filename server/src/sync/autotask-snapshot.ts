import type { PicklistOption, TicketPicklists } from '@psa-link/shared'
import type { AutotaskTicket } from './ports/autotask-gateway'
import type { AutotaskSnapshot } from './ports/ticket-link-store'

const label = (options: PicklistOption[] | undefined, id: number): string => options?.find((option) => option.value === id)?.label ?? String(id)

/** What the sidebar shows of an Autotask ticket, with picklist labels resolved while they are at hand. */
export function buildAutotaskSnapshot(ticket: AutotaskTicket, picklists: TicketPicklists | null, accountName: string | null, url: string): AutotaskSnapshot {
  return {
    ticketNumber: ticket.ticketNumber,
    url,
    title: ticket.title,
    status: { id: ticket.status, label: label(picklists?.status, ticket.status) },
    priority: { id: ticket.priority, label: label(picklists?.priority, ticket.priority) },
    accountName,
    queue: ticket.queueId === null ? null : { id: ticket.queueId, label: label(picklists?.queue, ticket.queueId) },
    dueDateTime: ticket.dueDateTime ? ticket.dueDateTime.toISOString() : null,
  }
}
