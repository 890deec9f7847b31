import type { FastifyPluginAsync } from 'fastify'
import { VERSION } from '../version'

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
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
    return reply.status(database.reachable ? 200 : 503).send({
      status: database.reachable ? 'ok' : 'unavailable',
      version: VERSION,
      database,
    })
  })
}

export default healthRoutes
