import { titleFromSubject, type ResolvedMappings } from '@psa-link/shared'
import type { AutotaskTicketChanges } from './ports/autotask-gateway'
import type { SyncedValues } from './ports/ticket-link-store'
import type { ZendeskTicket } from './ports/zendesk-gateway'
import { normalizeClusterId } from './sync-context'

/** The one-way values Zendesk dictates for the Autotask ticket, mapped for one connection. */
export function mappedValues(ticket: ZendeskTicket, mappings: ResolvedMappings): { title: string; priority: number; status: number | null } {
  return {
    title: titleFromSubject(ticket.subject, ticket.id),
    priority: ticket.priority ? mappings.priority[ticket.priority] : mappings.defaultPriority,
    status: ticket.status === 'deleted' ? null : mappings.status[ticket.status],
  }
}

export interface FieldPlan {
  changes: AutotaskTicketChanges
  /** Zendesk values seen now, recorded even when nothing is pushed (e.g. solved → closed). */
  seen: Pick<SyncedValues, 'zendeskStatus' | 'clusterId'>
}

/**
 * One-way fields are pushed when the *mapped* Zendesk value changed since the last sync, never
 * re-asserted (sync/README.md R5): a technician's edit in Autotask stays until Zendesk
 * changes that field again. Status is compared through Zendesk's own status so that the initial
 * New stays until Zendesk moves, and solved → closed (Complete → Complete) pushes nothing.
 */
export function planFieldChanges(
  ticket: ZendeskTicket,
  synced: SyncedValues,
  mappings: ResolvedMappings,
  reroute: { accountId: number; installedProductId: number | null } | null,
): FieldPlan {
  const mapped = mappedValues(ticket, mappings)
  const changes: AutotaskTicketChanges = {}
  if (mapped.title !== synced.title) changes.title = mapped.title
  if (mapped.priority !== synced.priority) changes.priority = mapped.priority
  if (ticket.status !== 'deleted' && ticket.status !== synced.zendeskStatus && mapped.status !== null && mapped.status !== synced.status) {
    changes.status = mapped.status
  }
  if (reroute) {
    if (reroute.accountId !== synced.accountId) changes.accountId = reroute.accountId
    if ((reroute.installedProductId ?? undefined) !== synced.installedProductId) changes.installedProductId = reroute.installedProductId
  }
  return {
    changes,
    seen: {
      zendeskStatus: ticket.status === 'deleted' ? synced.zendeskStatus : ticket.status,
      clusterId: ticket.clusterId ? normalizeClusterId(ticket.clusterId) : synced.clusterId,
    },
  }
}
