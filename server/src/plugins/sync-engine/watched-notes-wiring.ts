import type { FastifyInstance } from 'fastify'
import { createPostgresRequestGate } from '../../db/repositories/autotask-request-budget'
import { createTicketWatchesRepository } from '../../db/repositories/ticket-watches-repository'
import { requestTicketSync } from '../../jobs/ticket-sync-requests'
import { createWatchScanQueue, registerWatchScanWorker, startWatchScanScheduler } from '../../jobs/watched-notes-scan'
import type { SyncContextFactory } from './context-factory'

export interface WatchedNotesWiringOptions {
  contexts: SyncContextFactory
  intervalSeconds: number
  /** PSA Link's share of Autotask's hourly requests, per connection (as the request gate counts it). */
  hourlyLimit: number
  /** The schedule's timer runs in this process (off in tests that drive syncs themselves). */
  enabled: boolean
}

/** The watched-tickets note scan of open sidebars: its queue, its worker and its timer. */
export async function registerWatchedNotesScan(app: FastifyInstance, options: WatchedNotesWiringOptions): Promise<void> {
  const watches = createTicketWatchesRepository(app.db.pool)
  await createWatchScanQueue(app.jobs)
  await registerWatchScanWorker(app.jobs, {
    factory: options.contexts,
    watches,
    usage: async (connectionId) => createPostgresRequestGate(app.db.pool, { connectionId, hourlyLimit: options.hourlyLimit }).usage(),
    requestTicketSync: (accountId, ticketId, trigger) => requestTicketSync(app.jobs, { accountId, ticketId, trigger }),
    log: app.log,
  })
  const scheduler = startWatchScanScheduler(app.jobs, {
    intervalSeconds: options.intervalSeconds,
    watches,
    onError: (error) => app.log.error({ err: error }, 'could not schedule the watched-notes scan'),
    enabled: options.enabled,
  })
  app.addHook('onClose', async () => scheduler.stop())
}
