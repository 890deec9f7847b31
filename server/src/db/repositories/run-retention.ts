import type { Pool } from 'pg'

/** The monitor's chart shows an account's latest 60 runs: those stay whatever their age. */
export const RUNS_ALWAYS_KEPT = 60

/**
 * Run history is written one row per cycle and per ticket sync, so it grows without end unless
 * pruned: finished runs older than `days` go, except each account's latest RUNS_ALWAYS_KEPT.
 */
export async function pruneRunHistory(pool: Pool, days: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM sync_runs r
      WHERE r.status <> 'running' AND r.started_at < now() - make_interval(days => $1)
        AND r.id NOT IN (
          SELECT id FROM (
            SELECT id, row_number() OVER (PARTITION BY zendesk_account_id ORDER BY started_at DESC) AS position FROM sync_runs
          ) ranked WHERE ranked.position <= $2)`,
    [days, RUNS_ALWAYS_KEPT],
  )
  return rowCount ?? 0
}
