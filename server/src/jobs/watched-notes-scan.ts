import type PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { AutotaskRequestUsage } from '../adapters/autotask/core/autotask-request-gate'
import type { TicketWatchesRepository } from '../db/repositories/ticket-watches-repository'
import { isIntegrationError } from '../errors/integration-error'
import type { SyncContextFactory } from '../plugins/sync-engine/context-factory'
import { findWatchedNoteChanges } from '../sync/find-watched-note-changes'

/**
 * The watched-tickets note scan: while an open sidebar shows a linked ticket, its Autotask
 * connection is asked about every `intervalSeconds` (30 by default) for notes newer than its last
 * scan on those tickets, and only a ticket with a note not yet mirrored gets an ordinary
 * per-ticket sync. A technician's note then reaches the open sidebar within
 * interval + a ticket sync + the sidebar's re-read (20 s) ≈ 55 s, not with the next cycle.
 *
 * Cost per Autotask connection and hour, with N open sidebars on its linked tickets:
 *   N = 0: nothing (no watched ticket, no job, no request);
 *   N ≥ 1: 3600 / 30 = 120 scans × ⌈N / 500⌉ queries (one more per 500 notes changed in the
 *   overlap window, which is rare), i.e. 120 requests an hour for up to 500 open sidebars, 240 for
 *   up to 1,000: 2.4 % of the default share (5,000) per 500 sidebars;
 *   plus one ordinary ticket sync per ticket that really got a note (what Sync now costs; it would
 *   have happened in the next cycle anyway).
 * The scan is the first work to give way: it does not run while the connection has used
 * BUDGET_HEADROOM of its hourly share, leaving the rest to cycles, Sync now and retries.
 */
export const WATCH_SCAN_QUEUE = 'watch-notes'
const BUDGET_HEADROOM = 0.8
const PRUNE_INTERVAL_MS = 3600_000

export interface WatchScanJob {
  accountId: number
  connectionId: number
}

export interface WatchScanOutput {
  watched: number
  changed: number[]
  /** Why the scan did not ask Autotask, if it did not. */
  skipped: 'budget' | 'nothing_watched' | 'not_ready' | 'autotask_failed' | null
  autotaskRequests: number
}

export const watchScanKey = (connectionId: number): string => `watch:${connectionId}`

export async function createWatchScanQueue(boss: PgBoss): Promise<void> {
  if ((await boss.getQueues()).some((queue) => queue.name === WATCH_SCAN_QUEUE)) return
  // No retries: the next interval's scan asks again, from the same watermark.
  await boss.createQueue(WATCH_SCAN_QUEUE, { name: WATCH_SCAN_QUEUE, policy: 'short', retryLimit: 0, expireInSeconds: 300 })
}

export interface WatchScanWorkerOptions {
  factory: SyncContextFactory
  watches: TicketWatchesRepository
  /** The connection's use of its hourly Autotask share (the shared request gate's count). */
  usage(connectionId: number): Promise<AutotaskRequestUsage>
  requestTicketSync(accountId: number, ticketId: number, trigger: string): Promise<string>
  log: FastifyBaseLogger
  now?: () => Date
}

/** One scan of one connection's watched tickets; exported for tests that drive it without a queue. */
export async function scanWatchedNotes(job: WatchScanJob, options: WatchScanWorkerOptions): Promise<WatchScanOutput> {
  const { accountId, connectionId } = job
  const startedAt = (options.now ?? (() => new Date()))()
  const result = (skipped: WatchScanOutput['skipped'], watched = 0): WatchScanOutput => ({ watched, changed: [], skipped, autotaskRequests: 0 })
  const tickets = await options.watches.watchedTickets(accountId, connectionId)
  if (tickets.length === 0) return result('nothing_watched')
  const usage = await options.usage(connectionId)
  if (usage.requestsLastHour >= usage.limit * BUDGET_HEADROOM) {
    options.log.debug({ connectionId, usage }, 'watched-notes scan skipped: the hourly Autotask share is nearly used')
    return result('budget', tickets.length)
  }
  const context = await options.factory.forAccount(accountId)
  const connection = context.connections.find((candidate) => candidate.id === connectionId)
  if (!connection?.ready || connection.paused) return result('not_ready', tickets.length)
  const last = await options.watches.lastScan(connectionId)
  const since = new Date((last ?? startedAt).getTime() - connection.gateway.scanOverlapSeconds(startedAt) * 1000)
  try {
    const { result: changed, requests } = await options.factory.measure(() =>
      findWatchedNoteChanges({ connection, tickets, since, knownNoteIds: (ids) => options.watches.knownNoteIds(connectionId, ids) }),
    )
    await options.watches.saveScan(accountId, connectionId, startedAt)
    for (const ticketId of changed) await options.requestTicketSync(accountId, ticketId, 'watch')
    if (changed.length > 0) options.log.info({ accountId, connectionId, tickets: changed }, 'new Autotask notes on watched tickets: syncing them')
    return { watched: tickets.length, changed, skipped: null, autotaskRequests: requests.autotask }
  } catch (error) {
    // Over budget, Autotask down: the cycle reports the connection's health; this scan just waits for the next interval.
    if (!isIntegrationError(error)) throw error
    options.log.debug({ connectionId, err: error }, 'watched-notes scan could not read Autotask')
    return result('autotask_failed', tickets.length)
  }
}

export async function registerWatchScanWorker(boss: PgBoss, options: WatchScanWorkerOptions): Promise<void> {
  await boss.work<WatchScanJob>(WATCH_SCAN_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => (job ? scanWatchedNotes(job.data, options) : null))
}

export interface WatchScanSchedulerOptions {
  intervalSeconds: number
  watches: TicketWatchesRepository
  onError(error: unknown): void
  /** When false, scans run only when a test ticks. */
  enabled?: boolean
}

export interface WatchScanScheduler {
  stop(): void
  tick(): Promise<void>
}

/**
 * Every instance ticks; pg-boss throttles the jobs per connection and time slot
 * (`singletonSeconds`, as the cycle schedule does), so N backends still scan each connection once
 * per interval. A connection with no watched linked ticket gets no job at all.
 */
export function startWatchScanScheduler(boss: PgBoss, options: WatchScanSchedulerOptions): WatchScanScheduler {
  let prunedAt = 0
  const tick = async () => {
    try {
      for (const { accountId, connectionId } of await options.watches.watchedConnections()) {
        const job: WatchScanJob = { accountId, connectionId }
        await boss.send(WATCH_SCAN_QUEUE, job, { singletonKey: watchScanKey(connectionId), singletonSeconds: options.intervalSeconds })
      }
      if (Date.now() - prunedAt > PRUNE_INTERVAL_MS) {
        prunedAt = Date.now()
        await options.watches.pruneLapsed()
      }
    } catch (error) {
      options.onError(error)
    }
  }
  if (options.enabled === false) return { stop: () => undefined, tick }
  const timer = setInterval(() => void tick(), options.intervalSeconds * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer), tick }
}
