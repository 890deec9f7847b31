import { Attention } from '@psa-link/shared/admin-api'
import { scopeOf } from '../../admin/admin-principal'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

/**
 * What needs an admin's attention, on every page of the console: connections failing cycle after
 * cycle (the banner), problems waiting in the error inbox and Cluster IDs waiting for a route (the
 * navigation's counts). Cheap enough to poll: three indexed reads of PostgreSQL.
 */
const attentionRoutes: AdminRoutesPlugin = async (fastify) => {
  fastify.get('/api/attention', { schema: { response: { 200: Attention } } }, async (request) => {
    const admin = adminOf(request)
    const [failing, openProblems, clusterIdsWaiting] = await Promise.all([
      fastify.connectionHealth.failing(admin.accountId, admin.connectionId),
      fastify.monitor.openProblemCount(scopeOf(admin)),
      // Unrouted tickets belong to no connection yet: the account's admins route them.
      admin.connectionId === null ? fastify.needsAction.groupCount(admin.accountId) : Promise.resolve(0),
    ])
    return {
      failingConnections: failing.map((connection) => ({
        id: connection.id,
        name: connection.name,
        failingSince: connection.failingSince.toISOString(),
        failedCycles: connection.failedCycles,
        lastError: connection.lastError,
      })),
      openProblems,
      clusterIdsWaiting,
    }
  })
}

export default attentionRoutes
