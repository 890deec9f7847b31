import type { Pool } from 'pg'

/**
 * True when a webhook's job has nothing left to do: since the job was queued, a sync claimed the
 * ticket (a cycle, a Sync now, another webhook's job), finished it completely (nothing left dirty,
 * no error) and let go of it. Zendesk sends one delivery per event, so a busy ticket queues a job
 * behind each sync; this drops the ones a newer sync already covered.
 *
 * Only a job's first attempt is checked: a retry's own failed attempt also claimed the ticket.
 */
export async function isWebhookJobStale(pool: Pool, accountId: number, ticketId: number, jobCreatedOn: Date): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT 1 FROM ticket_sync_state
      WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2
        AND last_attempt_at > $3 AND dirty_since IS NULL AND state <> 'error'
        AND (lease_owner IS NULL OR lease_expires_at < now())`,
    [accountId, ticketId, jobCreatedOn],
  )
  return rows.length > 0
}
