import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../admin/admin-principal'
import { adminOf } from './admin-auth'

/**
 * What needs an admin's attention, on every page of the console: connections failing cycle after
 * cycle (the banner), problems waiting in the error inbox and Cluster IDs waiting for a route (the
 * navigation's counts). Cheap enough to poll: three indexed reads of PostgreSQL.
 */
const attentionRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/attention', async (request) => {
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
