import type { TicketSync } from '../../plugins/sync-engine/ticket-sync'

export interface SyncNowResult {
  status: 'done' | 'queued'
  jobId: string | null
}

export interface SyncNowOptions {
  /** The ticket-sync plugin's request and wait. */
  engine: { requestTicketSync: TicketSync['request']; waitForTicketSync: TicketSync['wait'] }
  /** The ticket's queued or running per-ticket job, if there is one. */
  findOpenJob(accountId: number, ticketId: number): Promise<string | null>
  /** How long a request waits for the sync before answering 202 with the job. */
  waitMs: number
}

const FINISHED = new Set(['completed', 'failed', 'cancelled'])

/**
 * Sync now for one ticket. An explicit click always asks Autotask and Zendesk for what is new: an
 * agent clicks because a technician just wrote something, so a recent sync's result is not an
 * answer. Clicks still share work: requests in this process share one promise, and requests
 * anywhere join the ticket's queued or running job (a full sync of that one ticket, a handful of
 * Autotask requests; the per-account rate limit bounds how often it can happen).
 */
export function createSyncNow(options: SyncNowOptions) {
  const inFlight = new Map<string, Promise<SyncNowResult>>()

  async function run(accountId: number, ticketId: number, openJob: string | null | undefined): Promise<SyncNowResult> {
    const jobId =
      (openJob === undefined ? await options.findOpenJob(accountId, ticketId) : openJob) ??
      (await options.engine.requestTicketSync(accountId, ticketId, 'sync_now'))
    const job = await options.engine.waitForTicketSync(jobId, options.waitMs)
    return { status: job && FINISHED.has(job.state) ? 'done' : 'queued', jobId }
  }

  /** `openJob`: the ticket's open job when the caller already looked it up (null: none). */
  return function syncNow(accountId: number, ticketId: number, openJob?: string | null): Promise<SyncNowResult> {
    const key = `${accountId}:${ticketId}`
    const pending = inFlight.get(key)
    if (pending) return pending
    const started = run(accountId, ticketId, openJob).finally(() => inFlight.delete(key))
    inFlight.set(key, started)
    return started
  }
}
