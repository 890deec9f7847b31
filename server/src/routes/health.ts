import type { FastifyPluginAsync } from 'fastify'
import { VERSION } from '../version'

/**
 * Liveness and readiness in one: 200 when the database answers, 503 when it does not. While some
 * Autotask connection is failing cycle after cycle the status is `degraded` (still 200: the
 * process is fine, syncing is not), with the reason; which accounts is for their admins to see.
 */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', async (request, reply) => {
    const database = { kind: app.db.kind, reachable: false, serverVersion: undefined as string | undefined }
    try {
      const { rows } = await app.db.pool.query<{ server_version: string }>('SHOW server_version')
      database.reachable = true
      database.serverVersion = rows[0]?.server_version
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable')
    }
    const failing = database.reachable ? await app.engine.health.failing(null) : []
    const problems = failing.length > 0 ? [`${failing.length} Autotask connection(s) failing since ${failing[0]!.failingSince.toISOString()}`] : []
    return reply.status(database.reachable ? 200 : 503).send({
      status: !database.reachable ? 'unavailable' : problems.length > 0 ? 'degraded' : 'ok',
      version: VERSION,
      database,
      ...(problems.length > 0 ? { problems } : {}),
    })
  })
}

export default healthRoutes
