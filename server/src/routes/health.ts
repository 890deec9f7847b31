import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { serverVersion } from '../db/database'
import { pendingMigrations } from '../db/migrate'
import { VERSION } from '../version'

/**
 * Health for people and orchestrators:
 * - `/health/live`: the process answers (restart it when this fails); touches nothing else, so a
 *   database outage never gets a healthy process killed;
 * - `/health/ready`: the database answers, every migration is applied and the sync workers run
 *   (send traffic only when this is 200; it turns 503 as soon as shutdown begins);
 * - `/health`: 200 when the database answers, 503 when it does not; `degraded` (still 200: the
 *   process is fine, syncing is not) while some Autotask connection is failing cycle after cycle,
 *   with the reason; which accounts is for their admins to see.
 */
const healthRoutes: FastifyPluginAsync = async (app) => {
  async function databaseState(request: FastifyRequest) {
    const database = { kind: app.db.kind, reachable: false, serverVersion: undefined as string | undefined }
    try {
      database.serverVersion = await serverVersion(app.db.pool)
      database.reachable = true
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable')
    }
    return database
  }

  app.get('/health', async (request, reply) => {
    const database = await databaseState(request)
    const failing = database.reachable ? await app.connectionHealth.failing(null) : []
    const problems = failing.length > 0 ? [`${failing.length} Autotask connection(s) failing since ${failing[0]!.failingSince.toISOString()}`] : []
    return reply.status(database.reachable ? 200 : 503).send({
      status: !database.reachable ? 'unavailable' : problems.length > 0 ? 'degraded' : 'ok',
      version: VERSION,
      database,
      ...(problems.length > 0 ? { problems } : {}),
    })
  })

  // Probes arrive every few seconds: their request lines would drown the log, their problems do not.
  const probe = { logLevel: 'warn' } as const
  app.get('/health/live', probe, async (_request, reply) => reply.send({ status: 'alive', version: VERSION }))

  app.get('/health/ready', probe, async (request, reply: FastifyReply) => {
    const database = await databaseState(request)
    let pending: string[] | null = null
    if (database.reachable) {
      try {
        pending = await pendingMigrations(app.db.pool)
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: could not read the applied migrations')
      }
    }
    const checks = {
      database: { ok: database.reachable, kind: database.kind },
      migrations: { ok: pending !== null && pending.length === 0, pending },
      workers: { ok: app.syncWorkers.running() },
    }
    const ready = Object.values(checks).every((check) => check.ok)
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', version: VERSION, checks })
  })
}

export default healthRoutes
