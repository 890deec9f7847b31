import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { registerSyncWorkers } from '../../jobs/sync-workers'

export interface SyncWorkers {
  /** True from the moment the sync workers are registered (or, with PSA_LINK_ROLE=api, the engine is wired) until the app starts closing (readiness). */
  running(): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    syncWorkers: SyncWorkers
  }
}

export interface SyncWorkersPluginOptions {
  config: Config
}

/** The cycle and per-ticket workers; PSA_LINK_ROLE=api: this process queues jobs and waits on them, a workers process runs them. */
export default fp<SyncWorkersPluginOptions>(
  async (app, { config }) => {
    if (config.PSA_LINK_ROLE !== 'api') {
      const workers = await registerSyncWorkers(app.jobs, {
        factory: app.syncContexts,
        store: app.syncStore,
        intervalSeconds: config.SYNC_INTERVAL_SECONDS,
        log: app.log,
        metrics: app.syncMetrics,
        health: app.connectionHealth,
        alerter: app.alerter,
        signals: app.signals,
        pool: app.db.pool,
        pollingIntervalSeconds: config.JOB_POLLING_SECONDS,
      })
      // Before pg-boss stops and the database closes (onClose hooks run in reverse order).
      app.addHook('onClose', () => workers.drain(config.SHUTDOWN_TIMEOUT_SECONDS * 1000))
    }
    let running = true
    // preClose: an orchestrator stops sending work as soon as shutdown begins, before jobs drain.
    app.addHook('preClose', async () => {
      running = false
    })
    app.decorate('syncWorkers', { running: () => running } satisfies SyncWorkers)
  },
  { name: 'sync-workers', dependencies: ['database', 'jobs', 'sync-contexts', 'sync-store', 'sync-metrics', 'connection-health', 'alerter', 'ticket-sync'] },
)
