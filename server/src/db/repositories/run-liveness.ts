import type { Pool } from 'pg'

/** How often a running run writes its progress, which is also its sign of life. */
export const RUN_PROGRESS_INTERVAL_MS = 2_000
/** A run silent this long has no live backend behind it: 60 missed progress writes. */
export const RUN_SILENT_SECONDS = 120

/** What an interrupted run says in the monitor: who stopped and what happens to its work. */
export const INTERRUPTED_RUN_ERROR = 'Interrupted: the backend running it stopped before it finished. Its tickets are synced again by the next run.'

/**
 * Closes runs whose backend died: a live run touches alive_at every few seconds (its progress), so
 * one silent for `silentSeconds` has no process behind it. Its work is not lost (leases expire,
 * the dirty list and the cursors were only advanced after committed work); only its record is left.
 */
export async function closeInterruptedRuns(pool: Pool, silentSeconds: number): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE sync_runs SET status = 'failed', error = $2, finished_at = alive_at
      WHERE status = 'running' AND alive_at < now() - make_interval(secs => $1)`,
    [silentSeconds, INTERRUPTED_RUN_ERROR],
  )
  return rowCount ?? 0
}
