import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../admin/admin-principal'
import { adminOf } from './admin-auth'

/**
 * What needs an admin's attention, on every page of the console: connections failing cycle after
 * cycle (the banner) and problems waiting in the inbox (the navigation's count). Cheap enough to
 * poll: two indexed reads of PostgreSQL.
 */
const attentionRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/attention', async (request) => {
    const admin = adminOf(request)
    const [failing, openProblems] = await Promise.all([
      fastify.engine.health.failing(admin.accountId, admin.connectionId),
      fastify.adminServices.monitor.openProblemCount(scopeOf(admin)),
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
    }
  })
}

export default attentionRoutes
