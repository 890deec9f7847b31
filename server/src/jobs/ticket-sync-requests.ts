import type PgBoss from 'pg-boss'
import type { Signals } from './signals'
import { SYNC_TICKET_QUEUE, ticketKey, type SyncTicketJob } from './sync-queues'

export interface TicketSyncJobState {
  id: string
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
  output: unknown
}

/** The signal a worker sends when a per-ticket job ends (detail: its final state). */
export const jobDoneTopic = (jobId: string): string => `job-done:${jobId}`
/** The signal that wakes a queue's workers. */
export const queueTopic = (queue: string): string => `queue:${queue}`

/**
 * How often a waiting request re-reads its job when no signal came: only a lost signal (a listener
 * reconnecting, a worker killed mid-job) makes this matter.
 */
const FALLBACK_CHECK_MS = 1_000

/**
 * Queues a sync of one ticket, or joins the one already queued: the queue keeps one
 * waiting job per ticket, so fifty Sync now clicks share one job. A new job wakes the workers at
 * once, in this process and in the others.
 */
export async function requestTicketSync(boss: PgBoss, signals: Signals, job: SyncTicketJob): Promise<string> {
  const key = ticketKey(job.accountId, job.ticketId)
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const id = await boss.send(SYNC_TICKET_QUEUE, job, { singletonKey: key })
    if (id) {
      // This process's workers are woken before publish returns; the NOTIFY to the others need
      // not delay the answer (a lost one costs a poll interval, see JOB_POLLING_SECONDS).
      void signals.publish(queueTopic(SYNC_TICKET_QUEUE)).catch(() => undefined)
      return id
    }
    const waiting = await findWaitingJob(boss, key)
    if (waiting) return waiting
    // The waiting job started between the two calls: a new one can be queued now.
  }
  throw new Error(`could not queue a sync of ticket ${job.ticketId}`)
}

async function findWaitingJob(boss: PgBoss, key: string): Promise<string | null> {
  const db = boss.getDb()
  const result = (await db.executeSql(
    `SELECT id FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry') ORDER BY created_on LIMIT 1`,
    [SYNC_TICKET_QUEUE, key],
  )) as { rows: { id: string }[] }
  return result.rows[0]?.id ?? null
}

const FINISHED = new Set(['completed', 'failed', 'cancelled'])

/**
 * Waits until the job ends or `timeoutMs` passes. The worker signals the end the moment its work is
 * done (before pg-boss records it), so the answer does not wait for a poll; the database is read
 * once up front and then only as the fallback.
 */
export async function waitForTicketSync(boss: PgBoss, signals: Signals, jobId: string, timeoutMs: number): Promise<TicketSyncJobState | null> {
  const deadline = Date.now() + timeoutMs
  const waiter = signals.waiter(jobDoneTopic(jobId))
  try {
    for (;;) {
      const job = await boss.getJobById(SYNC_TICKET_QUEUE, jobId)
      if (job && FINISHED.has(job.state)) return { id: job.id, state: job.state, output: job.output }
      const left = deadline - Date.now()
      if (left <= 0) return job ? { id: job.id, state: job.state, output: job.output } : null
      const detail = await waiter.next(Math.min(left, FALLBACK_CHECK_MS))
      if (detail !== undefined && FINISHED.has(detail)) return { id: jobId, state: detail as TicketSyncJobState['state'], output: null }
    }
  } finally {
    waiter.close()
  }
}
