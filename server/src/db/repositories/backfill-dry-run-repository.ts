import type { Pool } from 'pg'
import type { BackfillEstimate } from '../../sync/run-backfill'

export type DryRunState = 'queued' | 'running' | 'succeeded' | 'failed'

/** A dry run as the console polls it. */
export interface BackfillDryRun {
  id: number
  accountId: number
  startAt: Date
  includeSolved: boolean
  state: DryRunState
  progress: { pages: number; ticketsScanned: number }
  result: (BackfillEstimate & { dryRunRequests: { autotask: number; zendesk: number } }) | null
  error: string | null
  createdAt: Date
  updatedAt: Date
}

/** Dry runs kept per account: the console shows the latest; older ones are history nobody reads. */
const KEPT_PER_ACCOUNT = 20

const toDryRun = (row: Record<string, unknown>): BackfillDryRun => ({
  id: Number(row.id),
  accountId: Number(row.zendesk_account_id),
  startAt: row.start_at as Date,
  includeSolved: row.include_solved as boolean,
  state: row.state as DryRunState,
  progress: { pages: row.pages as number, ticketsScanned: row.tickets_scanned as number },
  result: (row.result as BackfillDryRun['result']) ?? null,
  error: row.error as string | null,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
})

export function createBackfillDryRunRepository(pool: Pool) {
  return {
    /** A queued dry run; the account's oldest beyond the kept few go in the same statement. */
    async create(input: { accountId: number; adminUserId: number | null; startAt: Date; includeSolved: boolean }): Promise<number> {
      const { rows } = await pool.query<{ id: string }>(
        `WITH created AS (
           INSERT INTO backfill_dry_runs (zendesk_account_id, admin_user_id, start_at, include_solved) VALUES ($1, $2, $3, $4) RETURNING id
         ), pruned AS (
           DELETE FROM backfill_dry_runs WHERE zendesk_account_id = $1 AND id NOT IN (
             SELECT id FROM backfill_dry_runs WHERE zendesk_account_id = $1 ORDER BY id DESC LIMIT $5)
         )
         SELECT id FROM created`,
        [input.accountId, input.adminUserId, input.startAt, input.includeSolved, KEPT_PER_ACCOUNT - 1],
      )
      return Number(rows[0]!.id)
    },

    async get(accountId: number, id: number): Promise<BackfillDryRun | null> {
      const { rows } = await pool.query('SELECT * FROM backfill_dry_runs WHERE zendesk_account_id = $1 AND id = $2', [accountId, id])
      return rows[0] ? toDryRun(rows[0]) : null
    },

    async saveProgress(id: number, progress: { pages: number; ticketsScanned: number }): Promise<void> {
      await pool.query(`UPDATE backfill_dry_runs SET state = 'running', pages = $2, tickets_scanned = $3, updated_at = now() WHERE id = $1`, [
        id,
        progress.pages,
        progress.ticketsScanned,
      ])
    },

    async finish(id: number, outcome: { result: BackfillDryRun['result'] } | { error: string }): Promise<void> {
      const ok = 'result' in outcome
      await pool.query(`UPDATE backfill_dry_runs SET state = $2, result = $3, error = $4, updated_at = now() WHERE id = $1`, [
        id,
        ok ? 'succeeded' : 'failed',
        ok ? JSON.stringify(outcome.result) : null,
        ok ? null : outcome.error,
      ])
    },
  }
}

export type BackfillDryRunRepository = ReturnType<typeof createBackfillDryRunRepository>
