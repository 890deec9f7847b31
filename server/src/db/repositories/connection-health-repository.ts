import type { Pool } from 'pg'

/** Cycles in a row whose Autotask reads failed before a connection counts as failing. */
export const FAILING_AFTER_CYCLES = 3

export interface FailingConnection {
  id: number
  zendeskAccountId: number
  name: string
  failingSince: Date
  failedCycles: number
  lastError: string | null
}

/**
 * Each cycle's verdict on each connection it used: a failure counts towards "failing" (from the
 * third in a row), a success clears it. The status a failing connection shows in the console is
 * the same `status` the credential test sets, so "ready" is never shown while syncing has stopped.
 */
export function createConnectionHealthRepository(pool: Pool) {
  return {
    /** Records a failed cycle; true when this one made the connection failing (time to tell people). */
    async recordFailure(connectionId: number, message: string): Promise<{ startedFailing: boolean }> {
      const { rows } = await pool.query<{ failed_cycles: number }>(
        `UPDATE autotask_connections
            SET failed_cycles = failed_cycles + 1,
                failing_since = COALESCE(failing_since, now()),
                last_error = $2,
                last_error_at = now(),
                status = CASE WHEN failed_cycles + 1 >= $3 THEN 'failing' ELSE status END,
                status_message = CASE WHEN failed_cycles + 1 >= $3 THEN $2 ELSE status_message END
          WHERE id = $1
          RETURNING failed_cycles`,
        [connectionId, message, FAILING_AFTER_CYCLES],
      )
      return { startedFailing: rows[0]?.failed_cycles === FAILING_AFTER_CYCLES }
    },

    /** Records a cycle that read the connection's Autotask; true when it had been failing (recovered). */
    async recordSuccess(connectionId: number): Promise<{ recovered: boolean }> {
      const { rows } = await pool.query<{ recovered: boolean }>(
        `UPDATE autotask_connections c
            SET failed_cycles = 0,
                failing_since = NULL,
                status = CASE WHEN old.failed_cycles >= $2 THEN 'ready' ELSE c.status END,
                status_message = CASE WHEN old.failed_cycles >= $2 THEN NULL ELSE c.status_message END
           FROM (SELECT id, failed_cycles FROM autotask_connections WHERE id = $1 FOR UPDATE) old
          WHERE c.id = old.id AND old.failed_cycles > 0
          RETURNING old.failed_cycles >= $2 AS recovered`,
        [connectionId, FAILING_AFTER_CYCLES],
      )
      return { recovered: rows[0]?.recovered === true }
    },

    /** Connections failing now: of one account, or (accountId null) of the whole installation. */
    async failing(accountId: number | null, connectionId: number | null = null): Promise<FailingConnection[]> {
      const { rows } = await pool.query(
        `SELECT id, zendesk_account_id, name, failing_since, failed_cycles, last_error
           FROM autotask_connections
          WHERE failed_cycles >= $1 AND removed_at IS NULL
            AND ($2::bigint IS NULL OR zendesk_account_id = $2) AND ($3::bigint IS NULL OR id = $3)
          ORDER BY failing_since`,
        [FAILING_AFTER_CYCLES, accountId, connectionId],
      )
      return rows.map((row) => ({
        id: row.id as number,
        zendeskAccountId: row.zendesk_account_id as number,
        name: row.name as string,
        failingSince: row.failing_since as Date,
        failedCycles: row.failed_cycles as number,
        lastError: row.last_error as string | null,
      }))
    },
  }
}

export type ConnectionHealthRepository = ReturnType<typeof createConnectionHealthRepository>
