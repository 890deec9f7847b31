import type pg from 'pg'

/**
 * pg-boss keeps finished jobs in its job table until it archives them (12 hours by default), and
 * none of its indexes finds a ticket's open job by singleton key: every Sync now click and every
 * sidebar read (each open sidebar, every 20 s) scanned all of them. Measured on PostgreSQL 15 with
 * 60,000 finished jobs, a half day at 5,000 webhook jobs an hour: 11 ms a lookup by sequential scan.
 * This partial index holds only open jobs (created, retry, active: pg-boss's job_state enum orders
 * them before completed), so a lookup stays a few index pages whatever the history.
 *
 * Created on the partitioned parent, so every queue's partition gets it, later ones as they attach.
 * Every instance runs this at start: the advisory lock lets one create it while the others wait
 * and then find it there.
 */
export const OPEN_JOB_INDEX = 'psa_link_job_open_by_singleton_key'

export async function ensureOpenJobIndex(db: Pick<pg.Pool, 'query'>): Promise<void> {
  await db.query(`DO $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('psa-link:${OPEN_JOB_INDEX}'));
      CREATE INDEX IF NOT EXISTS ${OPEN_JOB_INDEX} ON pgboss.job (name, singleton_key) WHERE state < 'completed';
    END $$`)
}
