import fp from 'fastify-plugin'
import { createBackfillRepository, type BackfillRepository } from '../../db/repositories/backfill-repository'

declare module 'fastify' {
  interface FastifyInstance {
    /** The backfills the console plans and the backfill worker runs. */
    backfills: BackfillRepository
  }
}

export default fp(
  async (app) => {
    app.decorate('backfills', createBackfillRepository(app.db.pool, { hourlyLimit: app.autotaskHourlyLimit }))
  },
  { name: 'backfills', dependencies: ['database', 'autotask-budget'] },
)
