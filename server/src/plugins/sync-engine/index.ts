import fp from 'fastify-plugin'
import type { Config } from '../../config'
import alerter from './alerter'
import connectionHealth from './connection-health'
import cycleScheduler from './cycle-scheduler'
import runHousekeeping from './run-housekeeping'
import syncContexts from './sync-contexts'
import syncMetrics from './sync-metrics'
import syncStore from './sync-store'
import syncWorkers from './sync-workers'
import ticketSync from './ticket-sync'
import watchedNotesScan from './watched-notes-scan'

export interface SyncEnginePluginOptions {
  config: Config
  /** Run the scheduled cycles in this process (off in tests that drive cycles themselves). */
  schedule?: boolean
}

/**
 * The engine's plugins, each a service of its own (named, with its dependencies): the store, the
 * account contexts, metrics, connection health, alerts, the queues, the workers and the schedules.
 * The order is the order of shutdown, reversed: the workers drain before pg-boss stops.
 */
export default fp<SyncEnginePluginOptions>(
  async (app, { config, schedule = true }) => {
    await app.register(syncStore)
    await app.register(syncContexts, { config })
    await app.register(syncMetrics)
    await app.register(ticketSync)
    await app.register(connectionHealth)
    await app.register(alerter, { config })
    await app.register(syncWorkers, { config })
    await app.register(cycleScheduler, { config, schedule })
    await app.register(watchedNotesScan, { config, schedule })
    await app.register(runHousekeeping, { config })
  },
  { name: 'sync-engine', dependencies: ['database', 'jobs', 'secrets', 'tenants', 'autotask-budget'] },
)
