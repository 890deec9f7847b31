import type PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { ConnectionHealthRepository } from '../db/repositories/connection-health-repository'
import type { SyncContextFactory } from '../plugins/sync-engine/context-factory'
import { ticketsOrDeleted } from '../sync/read-zendesk-tickets'
import { emptyCounts } from '../sync/sync-context'
import { withLeaseHeartbeat } from '../sync/lease-heartbeat'
import { runCycle } from '../sync/run-cycle'
import type { SyncStore } from '../sync/ports/sync-store'
import { syncTickets } from '../sync/sync-tickets'
import type { TicketOutcome } from '../sync/ticket-work'
import type { Alerter } from './alerts'
import { recordConnectionHealth } from './connection-health'
import { SYNC_CYCLE_QUEUE, SYNC_TICKET_QUEUE, type SyncCycleJob, type SyncTicketJob } from './sync-queues'
import type { SyncMetrics } from './sync-metrics'
import type { Signals } from './signals'
import { isWebhookJobStale } from './stale-webhook-jobs'
import { jobDoneTopic, queueTopic } from './ticket-sync-requests'
import { ticketsFreedTopic } from './ticket-release-signals'
import type { Pool } from 'pg'
import { RUN_PROGRESS_INTERVAL_MS } from '../db/repositories/run-liveness'

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
  /** Wakes the workers when a job is queued, and tells waiters when a job ends. */
  signals: Signals
  /** For dropping webhook jobs whose ticket was synced since (see stale-webhook-jobs). */
  pool: Pool
  /**
   * How often an idle worker looks for jobs nobody signalled (another instance's job whose signal
   * was lost, a retry coming due). Signals wake workers at once; this is only the fallback.
   */
  pollingIntervalSeconds?: number
}

const BUSY_WAIT_MS = 20_000
/** A ticket another worker holds: its release is signalled; this is the fallback re-check. */
const BUSY_RECHECK_MS = 1_000
const DEFAULT_POLLING_SECONDS = 2

/** What a per-ticket job leaves as its output, for whoever waits on it (Sync now). */
export interface TicketJobOutput {
  outcome: TicketOutcome | null
}

export interface SyncWorkers {
  /**
   * Stops taking jobs and waits (at most `timeoutMs`) for the running ones, so none is still
   * finishing when the database closes. Workers are woken at once, so a job fetched just as the
   * app closes is common: it is handed back (pg-boss retries it) without touching the database.
   */
  drain(timeoutMs: number): Promise<void>
}

/** How long the queue must stay quiet before a drain counts as done (a fetch may be in flight). */
const DRAIN_QUIET_MS = 250

/** Runs cycles and per-ticket syncs from the queues, recording each run in sync_runs. */
export async function registerSyncWorkers(boss: PgBoss, options: SyncWorkerOptions): Promise<SyncWorkers> {
  const { factory, store, metrics } = options
  let closing = false
  let running = 0
  let lastChange = Date.now()
  const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
    running += 1
    lastChange = Date.now()
    try {
      if (closing) throw new Error('PSA Link is shutting down; the job runs again after the restart')
      return await work()
    } finally {
      running -= 1
      lastChange = Date.now()
    }
  }

  async function recorded<T>(
    job: { id: string; accountId: number; ticketId?: number },
    kind: 'cycle' | 'ticket',
    trigger: string,
    work: (context: Awaited<ReturnType<SyncContextFactory['forAccount']>>) => Promise<T>,
    /** Runs beside the run's record once the work succeeded (a ticket job records its completion). */
    succeeded?: (result: T) => Promise<void>,
  ): Promise<T> {
    const { accountId } = job
    const startRun = () => {
      const started = store.startRun({ accountId, connectionId: null, kind, trigger })
      started.catch(() => undefined)
      return started
    }
    // A ticket job's run row is written while the context is got and the work runs (nobody waits
    // for it); a cycle's once it has its context, as before, so its recorded span stays its work's.
    const early = kind === 'ticket' ? startRun() : null
    let context: Awaited<ReturnType<SyncContextFactory['forAccount']>>
    try {
      context = await factory.forAccount(accountId)
    } catch (error) {
      if (early)
        await store
          .finishRun(await early, { status: 'failed', counts: emptyCounts(), apiUsage: {}, error: error instanceof Error ? error.message : String(error) })
          .catch(() => undefined)
      throw error
    }
    const runStarted = early ?? startRun()
    if (!early) await runStarted
    const finishRun = async (outcome: Parameters<SyncStore['finishRun']>[1]) => store.finishRun(await runStarted, outcome)
    // Every line of the job names the account, the job and, for a ticket's job, the ticket.
    const log = options.log.child({
      account: context.account.subdomain,
      accountId,
      jobId: job.id,
      ...(job.ticketId === undefined ? {} : { ticketId: job.ticketId }),
    })
    context.log = {
      info: (details, message) => log.info(details, message),
      warn: (details, message) => log.warn(details, message),
      error: (details, message) => log.error(details, message),
    }
    log.debug({ kind, trigger }, 'sync job started')
    const started = Date.now()
    // The admin console shows a running cycle's counts as they grow.
    const progress = setInterval(() => {
      void runStarted.then((runId) => store.updateRunProgress(runId, { ...context.counts, ticketsSeen: context.progress.ticketsSeen })).catch(() => undefined)
    }, RUN_PROGRESS_INTERVAL_MS)
    progress.unref()
    try {
      const { result, requests } = await factory.measure(() => work(context))
      // A ticket sync touches one ticket's connection; only a cycle reads every connection.
      const { status, error } =
        kind === 'cycle' ? await recordConnectionHealth(options.health, context, options.log, options.alerter) : { status: 'succeeded' as const, error: null }
      await Promise.all([finishRun({ status, counts: context.counts, apiUsage: { ...requests }, error }), succeeded?.(result)])
      metrics.recordRun(kind, status, (Date.now() - started) / 1000, context.counts, requests)
      log.debug({ kind, status, counts: context.counts, requests }, 'sync job finished')
      return result
    } catch (error) {
      await finishRun({ status: 'failed', counts: context.counts, apiUsage: {}, error: error instanceof Error ? error.message : String(error) })
      metrics.recordRun(kind, 'failed', (Date.now() - started) / 1000, context.counts, { autotask: 0, zendesk: 0 })
      log.warn({ kind, err: error }, 'sync job failed')
      throw error
    } finally {
      clearInterval(progress)
    }
  }

  const polling = options.pollingIntervalSeconds ?? DEFAULT_POLLING_SECONDS
  const { signals } = options

  const cycleWorker = await boss.work<SyncCycleJob>(SYNC_CYCLE_QUEUE, { pollingIntervalSeconds: polling }, async ([job]) => {
    if (!job) return
    await tracked(() =>
      recorded({ id: job.id, accountId: job.data.accountId }, 'cycle', job.data.trigger, (context) =>
        runCycle(context, { intervalSeconds: options.intervalSeconds, onProgress: ({ done }) => (context.progress.ticketsSeen = done) }),
      ),
    )
  })
  signals.on(queueTopic(SYNC_CYCLE_QUEUE), () => boss.notifyWorker(cycleWorker))

  const ticketWorkers: string[] = []
  for (let worker = 0; worker < (options.ticketConcurrency ?? 4); worker += 1) {
    const id = await boss.work<SyncTicketJob>(
      SYNC_TICKET_QUEUE,
      { pollingIntervalSeconds: polling, includeMetadata: true },
      async ([job]): Promise<TicketJobOutput> => {
        if (!job) return { outcome: null }
        if (closing) return tracked(() => syncTicketJob(job))
        try {
          // Recorded before the waiter is told, so whoever it answers sees the job finished (pg-boss's
          // own completion after this callback then finds nothing left to do).
          const output = await tracked(() =>
            syncTicketJob(job, (result) =>
              boss.complete(SYNC_TICKET_QUEUE, job.id, result).then(
                () => undefined,
                () => undefined,
              ),
            ),
          )
          await signals.publish(jobDoneTopic(job.id), 'completed').catch(() => undefined)
          return output
        } catch (error) {
          // pg-boss retries it (the waiter keeps waiting) unless this was the last attempt.
          await signals.publish(jobDoneTopic(job.id), job.retryCount >= job.retryLimit ? 'failed' : 'retry').catch(() => undefined)
          throw error
        }
      },
    )
    ticketWorkers.push(id)
  }
  // A queued job wakes every idle ticket worker of this process: one of them takes it, the others
  // find nothing and go back to sleep.
  signals.on(queueTopic(SYNC_TICKET_QUEUE), () => {
    for (const id of ticketWorkers) boss.notifyWorker(id)
  })

  return {
    async drain(timeoutMs) {
      closing = true
      lastChange = Date.now()
      await Promise.all([SYNC_CYCLE_QUEUE, SYNC_TICKET_QUEUE].map((queue) => boss.offWork(queue)))
      const deadline = Date.now() + timeoutMs
      while ((running > 0 || Date.now() - lastChange < DRAIN_QUIET_MS) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }

  async function syncTicketJob(job: PgBoss.JobWithMetadata<SyncTicketJob>, succeeded?: (output: TicketJobOutput) => Promise<void>): Promise<TicketJobOutput> {
    const { accountId, ticketId, trigger } = job.data
    if (trigger === 'webhook' && job.retryCount === 0 && (await isWebhookJobStale(options.pool, accountId, ticketId, job.createdOn))) {
      options.log.debug({ accountId, ticketId, jobId: job.id }, 'webhook job dropped: the ticket was synced after it was queued')
      const output = { outcome: null }
      await succeeded?.(output)
      return output
    }
    return recorded(
      { id: job.id, accountId, ticketId },
      'ticket',
      trigger,
      (context) =>
        withLeaseHeartbeat(context, async () => {
          // Another worker may hold the ticket (a cycle, an earlier request): wait for it rather
          // than answer Sync now with "busy". Its release is signalled.
          const deadline = Date.now() + BUSY_WAIT_MS
          const freed = signals.waiter(ticketsFreedTopic(accountId))
          try {
            for (let attempt = 0; ; attempt += 1) {
              // A free ticket is the common case: the first attempt claims at once. After that, wait
              // in the database, not in Zendesk: a long cycle may hold the ticket for a while. The
              // ticket is read once claimed, with the rest of the full sync's reads, so it is never
              // older than what a holder just synced.
              while (attempt > 0 && !(await context.store.isTicketFree(accountId, ticketId)) && Date.now() < deadline) {
                await freed.next(Math.min(BUSY_RECHECK_MS, Math.max(0, deadline - Date.now())))
              }
              const nextCycleAt = new Date(Date.now() + options.intervalSeconds * 1000)
              const tickets = { ids: [ticketId], read: (ids: number[]) => ticketsOrDeleted(context, ids) }
              const outcome = (await syncTickets(context, { tickets, full: true, nextCycleAt })).get(ticketId) ?? null
              if (!outcome?.busy || Date.now() >= deadline) return { outcome }
            }
          } finally {
            freed.close()
          }
        }),
      succeeded,
    )
  }
}
