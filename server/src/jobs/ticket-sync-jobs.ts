import type PgBoss from 'pg-boss'
import { SYNC_TICKET_QUEUE, ticketKey, type SyncTicketJob } from './sync-queues'

export interface TicketSyncJob {
  id: string
  accountId: number
  ticketId: number
  finished: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Per-ticket sync jobs as the sidebar sees them: the one open for a ticket, or one by id. */
export function createTicketSyncJobs(boss: PgBoss) {
  return {
    async findOpen(accountId: number, ticketId: number): Promise<string | null> {
      const result = (await boss.getDb().executeSql(
        `SELECT id FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active')
          ORDER BY created_on LIMIT 1`,
        [SYNC_TICKET_QUEUE, ticketKey(accountId, ticketId)],
      )) as { rows: { id: string }[] }
      return result.rows[0]?.id ?? null
    },

    async find(jobId: string): Promise<TicketSyncJob | null> {
      if (!UUID.test(jobId)) return null
      const job = await boss.getJobById<SyncTicketJob>(SYNC_TICKET_QUEUE, jobId)
      if (!job) return null
      return {
        id: job.id,
        accountId: job.data.accountId,
        ticketId: job.data.ticketId,
        finished: job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled',
      }
    },
  }
}

export type TicketSyncJobs = ReturnType<typeof createTicketSyncJobs>
