import { planFieldChanges } from './plan-fields'
import { stillHoldsTickets } from './lease-heartbeat'
import { routeClusterIds } from './route-tickets'
import { reportTicketFailure } from './report-ticket-failure'
import type { ConnectionContext, SyncContext } from './sync-context'
import { normalizeClusterId } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'
import type { TicketStateStore } from './ports/ticket-state-store'

const UPDATE_FAILURE = { fallbackCode: 'autotask_update_failed', whatFailed: 'Updating the Autotask ticket failed', refusal: 'Autotask refused the update' }

/**
 * True when `work`'s one-way fields would be pushed (or its Cluster ID looked up again): a pass
 * can then leave the Autotask ticket to the update, which reads it right before writing (R6) and
 * answers it as saved, instead of reading it twice.
 */
export function mayPushFields(work: Pick<TicketWork, 'ticket' | 'synced'>, connection: Pick<ConnectionContext, 'mappings'>): boolean {
  const clusterChanged = work.ticket.clusterId !== null && normalizeClusterId(work.ticket.clusterId) !== work.synced.clusterId
  return clusterChanged || Object.keys(planFieldChanges(work.ticket, work.synced, connection.mappings!, null).changes).length > 0
}

/**
 * Pushes the one-way fields whose mapped Zendesk value changed since the last sync, in one batch
 * update per connection. A changed Cluster ID re-routes within the same connection only; a route
 * to another Autotask database is a warning, never a silent move (sync/README.md R2).
 */
export async function pushFieldChanges(
  context: SyncContext<TicketStateStore & SyncBookkeepingStore>,
  connection: ConnectionContext,
  items: TicketWork[],
): Promise<void> {
  const mappings = connection.mappings!
  const changedClusters = items.filter((work) => work.ticket.clusterId && normalizeClusterId(work.ticket.clusterId) !== work.synced.clusterId)
  const routes = await routeClusterIds(
    context,
    changedClusters.map((work) => work.ticket.clusterId!),
  )

  const updates: { work: TicketWork; changes: ReturnType<typeof planFieldChanges>['changes']; seen: ReturnType<typeof planFieldChanges>['seen'] }[] = []
  const warnings = new Map<TicketWork, string>()
  for (const work of items) {
    let reroute: { accountId: number; installedProductId: number | null } | null = null
    if (changedClusters.includes(work)) {
      const route = routes.get(normalizeClusterId(work.ticket.clusterId!))
      if (route?.kind === 'routed' && route.connection.id === connection.id) {
        reroute = { accountId: route.autotaskAccountId, installedProductId: route.installedProductId }
      } else {
        const where =
          route?.kind === 'routed'
            ? `Autotask connection ${route.connection.name}`
            : route?.kind === 'ambiguous'
              ? 'several installed products'
              : 'nothing in Autotask'
        warnings.set(work, `Cluster ID ${work.ticket.clusterId} now points to ${where}; the Autotask ticket stays where it is.`)
      }
    }
    const plan = planFieldChanges(work.ticket, work.synced, mappings, reroute)
    // Without a usable route the old Cluster ID stays the baseline, so the warning persists.
    if (warnings.has(work)) plan.seen.clusterId = work.synced.clusterId
    if (Object.keys(plan.changes).length === 0) work.synced = { ...work.synced, ...plan.seen }
    else updates.push({ work, ...plan })
  }
  for (const [work, warning] of warnings) context.log.warn({ ticketId: work.ticket.id }, warning)
  if (updates.length === 0) return

  if (
    !(await stillHoldsTickets(
      context,
      updates.map(({ work }) => work.ticket.id),
    ))
  ) {
    for (const { work } of updates) settle(work, { state: 'pending', message: 'The sync lease expired; retrying.', retryAt: context.now() })
    return
  }
  let results
  try {
    results = await connection.gateway.updateTickets(updates.map(({ work, changes }) => ({ id: work.link!.autotaskTicketId!, changes })))
  } catch (error) {
    for (const { work } of updates) await reportTicketFailure(context, connection, work, error, UPDATE_FAILURE)
    return
  }
  for (const [index, result] of results.entries()) {
    const { work, changes, seen } = updates[index]!
    // Not read yet (the update was to read it): the read that follows finds it gone and says so.
    if (!result.ok && !work.autotaskTicket && result.error.code === 'not_found') continue
    if (!result.ok) {
      await reportTicketFailure(context, connection, work, result.error, UPDATE_FAILURE)
      continue
    }
    const stored = result.value
    // Only what was pushed becomes the new baseline, read back as Autotask keeps it; fields a
    // technician changed meanwhile stay theirs.
    work.synced = {
      ...work.synced,
      ...seen,
      ...(changes.title !== undefined ? { title: stored.title } : {}),
      ...(changes.priority !== undefined ? { priority: stored.priority } : {}),
      ...(changes.status !== undefined ? { status: stored.status } : {}),
      ...(changes.accountId !== undefined ? { accountId: stored.accountId } : {}),
      ...(changes.installedProductId !== undefined ? { installedProductId: stored.installedProductId ?? undefined } : {}),
    }
    work.autotaskTicket = stored
    context.counts.ticketsUpdated += 1
  }
}
