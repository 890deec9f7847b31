import type PgBoss from 'pg-boss'
import { SYNC_TICKET_QUEUE, ticketKey, type SyncTicketJob } from './sync-queues'

export interface TicketSyncJobState {
  id: string
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
  output: unknown
}

/**
 * Queues a sync of one ticket, or joins the one already queued: the queue keeps one
 * waiting job per ticket, so fifty Sync now clicks share one job.
 */
export async function requestTicketSync(boss: PgBoss, job: SyncTicketJob): Promise<string> {
  const key = ticketKey(job.accountId, job.ticketId)
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const id = await boss.send(SYNC_TICKET_QUEUE, job, { singletonKey: key })
    if (id) return id
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

/** Polls the job until it ends or `timeoutMs` passes; pg-boss has no completion notification. */
export async function waitForTicketSync(boss: PgBoss, jobId: string, timeoutMs: number, pollMs = 100): Promise<TicketSyncJobState | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await boss.getJobById(SYNC_TICKET_QUEUE, jobId)
    if (job && (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled')) return { id: job.id, state: job.state, output: job.output }
    if (Date.now() >= deadline) return job ? { id: job.id, state: job.state, output: job.output } : null
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
