import fp from 'fastify-plugin'
import { createSyncMetrics, type SyncMetrics } from '../../jobs/sync-metrics'

declare module 'fastify' {
  interface FastifyInstance {
    /** The sync's Prometheus metrics (/metrics). */
    syncMetrics: SyncMetrics
  }
}

export default fp(
  async (app) => {
    app.decorate('syncMetrics', createSyncMetrics())
  },
  { name: 'sync-metrics' },
)
