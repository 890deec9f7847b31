import type { RouteCandidate } from '@psa-link/shared'
import type { ConnectionContext, SyncContext } from './sync-context'
import { normalizeClusterId } from './sync-context'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'

export type Route =
  /** `installedProductId` is null only when an admin routed the Cluster ID to an account alone. */
  | { kind: 'routed'; connection: ConnectionContext; installedProductId: number | null; autotaskAccountId: number; setByAdmin?: boolean }
  | { kind: 'unrouted' }
  | { kind: 'ambiguous'; candidates: RouteCandidate[] }
  /** Autotask could not be asked (down, bad credentials): try again later. */
  | { kind: 'unknown'; reason: string }

/**
 * Routes Cluster IDs to Autotask (sync/README.md R2): an active InstalledProduct whose
 * ReferenceNumber equals the Cluster ID, across the account's connections. Cached routes are used
 * as they are; Cluster IDs without one are asked of Autotask every time (one query per 500 IDs and
 * connection), so a product registered since the last cycle is found at once. A route an admin set
 * (the "needs action" inbox) wins over both: Autotask is not asked about that Cluster ID.
 */
export async function routeClusterIds(
  context: SyncContext<SyncBookkeepingStore>,
  clusterIds: string[],
  options: { refresh?: boolean } = {},
): Promise<Map<string, Route>> {
  const wanted = [...new Set(clusterIds.map(normalizeClusterId).filter(Boolean))]
  const routable = context.connections.filter((connection) => connection.ready)
  const routes = new Map<string, Route>()
  if (wanted.length === 0) return routes

  const overrides = await context.store.findRouteOverrides(context.account.id, wanted)
  for (const override of overrides) {
    const connection = context.connections.find((candidate) => candidate.id === override.connectionId)
    if (connection?.ready) {
      routes.set(override.clusterId, {
        kind: 'routed',
        connection,
        installedProductId: override.installedProductId,
        autotaskAccountId: override.autotaskAccountId,
        setByAdmin: true,
      })
    } else {
      routes.set(override.clusterId, {
        kind: 'unknown',
        reason: `${connection?.name ?? 'The chosen Autotask connection'}: ${connection?.notReadyReason ?? 'not ready'}`,
      })
    }
  }
  const open = wanted.filter((clusterId) => !routes.has(clusterId))
  if (open.length === 0) return routes

  const cached = await context.store.findRoutes(context.account.id, open)
  const known = new Set(cached.map((route) => route.clusterId))
  const toAsk = options.refresh ? open : open.filter((clusterId) => !known.has(clusterId))
  const unreachable = new Map<string, string>()
  for (const connection of routable) {
    if (toAsk.length === 0) break
    try {
      const found = await connection.gateway.findRoutes(toAsk)
      const stored = found
        .filter((route) => route.active)
        .map((route) => ({
          connectionId: connection.id,
          installedProductId: route.installedProductId,
          autotaskAccountId: route.autotaskAccountId,
          clusterId: normalizeClusterId(route.referenceNumber),
        }))
        .filter((route) => toAsk.includes(route.clusterId))
      await context.store.saveRoutes(context.account.id, connection.id, toAsk, stored)
    } catch (error) {
      for (const clusterId of toAsk) unreachable.set(clusterId, `${connection.name}: ${(error as Error).message}`)
      context.log.warn({ err: error, connection: connection.name }, 'route lookup failed')
    }
  }
  const current = toAsk.length > 0 ? await context.store.findRoutes(context.account.id, open) : cached
  for (const clusterId of open) {
    const matches = current.filter((route) => route.clusterId === clusterId)
    const connections = matches.map((match) => routable.find((connection) => connection.id === match.connectionId))
    if (matches.length === 1 && connections[0]) {
      routes.set(clusterId, {
        kind: 'routed',
        connection: connections[0],
        installedProductId: matches[0]!.installedProductId,
        autotaskAccountId: matches[0]!.autotaskAccountId,
      })
    } else if (matches.length > 1) {
      routes.set(clusterId, {
        kind: 'ambiguous',
        candidates: matches.map((match) => ({
          connectionName: context.connections.find((connection) => connection.id === match.connectionId)?.name ?? String(match.connectionId),
          installedProductId: match.installedProductId,
          autotaskAccountId: match.autotaskAccountId,
        })),
      })
    } else if (unreachable.has(clusterId)) {
      routes.set(clusterId, { kind: 'unknown', reason: unreachable.get(clusterId)! })
    } else {
      routes.set(clusterId, { kind: 'unrouted' })
    }
  }
  return routes
}
