import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { createPostgresRequestGate } from '../../db/repositories/autotask-request-budget'
import { createTicketWatchesRepository } from '../../db/repositories/ticket-watches-repository'
import { createWatchScanQueue, registerWatchScanWorker, startWatchScanScheduler } from '../../jobs/watched-notes-scan'

export interface WatchedNotesScanPluginOptions {
  config: Config
  /** The schedule's timer runs in this process (off in tests that drive syncs themselves). */
  schedule: boolean
}

/**
 * The watched-tickets note scan of open sidebars: its queue, its worker (where the other workers
 * run: not in an `api`-only process, see PSA_LINK_ROLE) and its timer.
 */
export default fp<WatchedNotesScanPluginOptions>(
  async (app, { config, schedule }) => {
    const runsWorker = config.PSA_LINK_ROLE !== 'api'
    const watches = createTicketWatchesRepository(app.db.pool)
    await createWatchScanQueue(app.jobs)
    if (runsWorker) {
      await registerWatchScanWorker(app.jobs, {
        factory: app.syncContexts,
        watches,
        usage: async (connectionId) => createPostgresRequestGate(app.db.pool, { connectionId, hourlyLimit: app.autotaskHourlyLimit }).usage(),
        requestTicketSync: (accountId, ticketId, trigger) => app.ticketSync.request(accountId, ticketId, trigger),
        log: app.log,
      })
    }
    const scheduler = startWatchScanScheduler(app.jobs, {
      intervalSeconds: config.SIDEBAR_WATCH_SCAN_SECONDS,
      watches,
      onError: (error) => app.log.error({ err: error }, 'could not schedule the watched-notes scan'),
      enabled: schedule && runsWorker,
    })
    app.addHook('onClose', async () => scheduler.stop())
  },
  { name: 'watched-notes-scan', dependencies: ['database', 'jobs', 'sync-contexts', 'autotask-budget', 'ticket-sync'] },
)
