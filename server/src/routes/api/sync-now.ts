import type { TicketViewRepository } from '../../db/repositories/ticket-view-repository'
import type { SyncEngine } from '../../plugins/sync-engine'

export interface SyncNowResult {
  status: 'done' | 'queued'
  jobId: string | null
}

export interface SyncNowOptions {
  engine: Pick<SyncEngine, 'requestTicketSync' | 'waitForTicketSync'>
  views: Pick<TicketViewRepository, 'lastAttempt'>
  /** The ticket's queued or running per-ticket job, if there is one. */
  findOpenJob(accountId: number, ticketId: number): Promise<string | null>
  /** How long a request waits for the sync before answering 202 with the job. */
  waitMs: number
  /** A sync this recent is the answer (SYNC-RULES.md "Observable state": 30 s). */
  freshSeconds: number
  now?: () => number
}

const FINISHED = new Set(['completed', 'failed', 'cancelled'])

/**
 * Sync now for one ticket. Clicks share work at three levels: requests in this process share one
 * promise; requests anywhere join the ticket's queued or running job; and a sync finished less than
 * `freshSeconds` ago is returned as it is, without a new one.
 */
export function createSyncNow(options: SyncNowOptions) {
  const now = options.now ?? Date.now
  const inFlight = new Map<string, Promise<SyncNowResult>>()

  async function run(accountId: number, ticketId: number): Promise<SyncNowResult> {
    let jobId = await options.findOpenJob(accountId, ticketId)
    if (!jobId) {
      const last = await options.views.lastAttempt(accountId, ticketId)
      if (last?.at && !last.running && now() - last.at.getTime() < options.freshSeconds * 1000) return { status: 'done', jobId: null }
      jobId = await options.engine.requestTicketSync(accountId, ticketId, 'sync_now')
    }
    const job = await options.engine.waitForTicketSync(jobId, options.waitMs)
    return { status: job && FINISHED.has(job.state) ? 'done' : 'queued', jobId }
  }

  return function syncNow(accountId: number, ticketId: number): Promise<SyncNowResult> {
    const key = `${accountId}:${ticketId}`
    const pending = inFlight.get(key)
    if (pending) return pending
    const started = run(accountId, ticketId).finally(() => inFlight.delete(key))
    inFlight.set(key, started)
    return started
  }
}
