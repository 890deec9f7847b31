import type PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { ConnectionHealthRepository } from '../db/repositories/connection-health-repository'
import type { SyncContextFactory } from '../plugins/sync-engine/context-factory'
import { ticketsOrDeleted } from '../sync/read-zendesk-tickets'
import { withLeaseHeartbeat } from '../sync/lease-heartbeat'
import { runCycle } from '../sync/run-cycle'
import type { SyncStore } from '../sync/ports/sync-store'
import { syncTickets } from '../sync/sync-tickets'
import type { TicketOutcome } from '../sync/ticket-work'
import type { Alerter } from './alerts'
import { recordConnectionHealth } from './connection-health'
import { SYNC_CYCLE_QUEUE, SYNC_TICKET_QUEUE, type SyncCycleJob, type SyncTicketJob } from './sync-queues'
import type { SyncMetrics } from './sync-metrics'

export interface SyncWorkerOptions {
  factory: SyncContextFactory
  store: SyncStore
  intervalSeconds: number
  log: FastifyBaseLogger
  metrics: SyncMetrics
  health: ConnectionHealthRepository
  alerter?: Alerter
  /** Parallel per-ticket workers in this process (Sync now, webhooks, retries). */
  ticketConcurrency?: number
}

const BUSY_WAIT_MS = 20_000
const PROGRESS_INTERVAL_MS = 2_000
const BUSY_POLL_MS = 250

/** What a per-ticket job leaves as its output, for whoever waits on it (Sync now). */
export interface TicketJobOutput {
  outcome: TicketOutcome | null
}

/** Runs cycles and per-ticket syncs from the queues, recording each run in sync_runs. */
export async function registerSyncWorkers(boss: PgBoss, options: SyncWorkerOptions): Promise<void> {
  const { factory, store, metrics } = options

  async function recorded<T>(
    job: { id: string; accountId: number; ticketId?: number },
    kind: 'cycle' | 'ticket',
    trigger: string,
    work: (context: Awaited<ReturnType<SyncContextFactory['forAccount']>>) => Promise<T>,
  ): Promise<T> {
    const { accountId } = job
    const context = await factory.forAccount(accountId)
    // Every line of the job names the account, the job and, for a ticket's job, the ticket.
    const log = options.log.child({ account: context.account.subdomain, accountId, jobId: job.id, ...(job.ticketId === undefined ? {} : { ticketId: job.ticketId }) })
    context.log = {
      info: (details, message) => log.info(details, message),
      warn: (details, message) => log.warn(details, message),
      error: (details, message) => log.error(details, message),
    }
    log.debug({ kind, trigger }, 'sync job started')
    const runId = await store.startRun({ accountId, connectionId: null, kind, trigger })
    const started = Date.now()
    // The admin console shows a running cycle's counts as they grow.
    const progress = setInterval(() => {
      void store.updateRunProgress(runId, { ...context.counts, ticketsSeen: context.progress.ticketsSeen }).catch(() => undefined)
    }, PROGRESS_INTERVAL_MS)
    progress.unref()
    try {
      const { result, requests } = await factory.measure(() => work(context))
      // A ticket sync touches one ticket's connection; only a cycle reads every connection.
      const { status, error } = kind === 'cycle' ? await recordConnectionHealth(options.health, context, options.log, options.alerter) : { status: 'succeeded' as const, error: null }
      await store.finishRun(runId, { status, counts: context.counts, apiUsage: { ...requests }, error })
      metrics.recordRun(kind, status, (Date.now() - started) / 1000, context.counts, requests)
      log.debug({ kind, status, counts: context.counts, requests }, 'sync job finished')
      return result
    } catch (error) {
      await store.finishRun(runId, { status: 'failed', counts: context.counts, apiUsage: {}, error: error instanceof Error ? error.message : String(error) })
      metrics.recordRun(kind, 'failed', (Date.now() - started) / 1000, context.counts, { autotask: 0, zendesk: 0 })
      log.warn({ kind, err: error }, 'sync job failed')
      throw error
    } finally {
      clearInterval(progress)
    }
  }

  await boss.work<SyncCycleJob>(SYNC_CYCLE_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return
    await recorded({ id: job.id, accountId: job.data.accountId }, 'cycle', job.data.trigger, (context) => runCycle(context, { intervalSeconds: options.intervalSeconds, onProgress: ({ done }) => (context.progress.ticketsSeen = done) }))
  })

  for (let worker = 0; worker < (options.ticketConcurrency ?? 4); worker += 1) {
    await boss.work<SyncTicketJob>(SYNC_TICKET_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]): Promise<TicketJobOutput> => {
      if (!job) return { outcome: null }
      const { accountId, ticketId, trigger } = job.data
      return recorded({ id: job.id, accountId, ticketId }, 'ticket', trigger, (context) =>
        withLeaseHeartbeat(context, async () => {
          // Another worker may hold the ticket (a cycle, an earlier request): wait for it rather
          // than answer Sync now with "busy".
          const deadline = Date.now() + BUSY_WAIT_MS
          for (;;) {
            // Wait in the database, not in Zendesk: a long cycle may hold the ticket for a while.
            while (!(await context.store.isTicketFree(accountId, ticketId)) && Date.now() < deadline) {
              await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS))
            }
            const tickets = await ticketsOrDeleted(context, [ticketId])
            const nextCycleAt = new Date(Date.now() + options.intervalSeconds * 1000)
            const outcome = (await syncTickets(context, { tickets, full: true, nextCycleAt })).get(ticketId) ?? null
            if (!outcome?.busy || Date.now() >= deadline) return { outcome }
            await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS))
          }
        }),
      )
    })
  }
}
