import type { Pool } from 'pg'
import type { Backfill, BackfillProgress, BackfillState, BackfillStore } from '../../sync/ports/backfill-store'

/** A backfill as the console shows it. */
export interface BackfillView extends Backfill {
  totalNotes: number | null
  estimatedRequests: number | null
  autotaskRequests: number
  resumeAt: Date | null
  error: string | null
  createdAt: Date
  startedAt: Date | null
  updatedAt: Date
  finishedAt: Date | null
}

const FINISHED: BackfillState[] = ['succeeded', 'failed']

const toBackfill = (row: Record<string, unknown>): BackfillView => ({
  id: Number(row.id),
  accountId: Number(row.zendesk_account_id),
  startAt: row.start_at as Date,
  includeSolved: row.include_solved as boolean,
  state: row.state as BackfillState,
  exportCursor: row.export_cursor as string | null,
  totalTickets: row.total_tickets as number | null,
  totalNotes: row.total_notes as number | null,
  estimatedRequests: row.estimated_requests as number | null,
  progress: {
    ticketsDone: row.tickets_done as number,
    ticketsCreated: row.tickets_created as number,
    notesCreated: row.notes_created as number,
    ticketsFailed: row.tickets_failed as number,
  },
  autotaskRequests: row.autotask_requests as number,
  resumeAt: row.resume_at as Date | null,
  error: row.error as string | null,
  createdAt: row.created_at as Date,
  startedAt: row.started_at as Date | null,
  updatedAt: row.updated_at as Date,
  finishedAt: row.finished_at as Date | null,
})

/** Backfills: the engine's BackfillStore plus what the console lists and starts. */
export function createBackfillRepository(pool: Pool, options: { hourlyLimit: number }) {
  const store: BackfillStore = {
    async getBackfill(id) {
      const { rows } = await pool.query('SELECT * FROM backfills WHERE id = $1', [id])
      return rows[0] ? toBackfill(rows[0]) : null
    },

    async setState(id, state, details = {}) {
      await pool.query(
        `UPDATE backfills SET state = $2,
                error = CASE WHEN $3::boolean THEN $4 ELSE error END,
                resume_at = CASE WHEN $5::boolean THEN $6::timestamptz ELSE resume_at END,
                started_at = CASE WHEN $2 IN ('counting', 'running') THEN coalesce(started_at, now()) ELSE started_at END,
                finished_at = CASE WHEN $2 = ANY($7::text[]) THEN now() ELSE NULL END,
                updated_at = now()
          WHERE id = $1`,
        [id, state, details.error !== undefined, details.error ?? null, details.resumeAt !== undefined, details.resumeAt ?? null, FINISHED],
      )
    },

    async saveTotal(id, totalTickets) {
      await pool.query('UPDATE backfills SET total_tickets = $2, updated_at = now() WHERE id = $1', [id, totalTickets])
    },

    async saveProgress(id, progress: BackfillProgress, exportCursor?: string) {
      await pool.query(
        `UPDATE backfills SET tickets_done = $2, tickets_created = $3, notes_created = $4, tickets_failed = $5,
                export_cursor = coalesce($6, export_cursor), updated_at = now() WHERE id = $1`,
        [id, progress.ticketsDone, progress.ticketsCreated, progress.notesCreated, progress.ticketsFailed, exportCursor ?? null],
      )
    },

    async autotaskBudget(connectionId) {
      const { rows } = await pool.query<{ used: number }>(
        `SELECT coalesce(sum(requests), 0)::int AS used FROM autotask_request_usage WHERE connection_id = $1 AND minute > now() - interval '1 hour'`,
        [connectionId],
      )
      return { used: rows[0]?.used ?? 0, limit: options.hourlyLimit }
    },
  }

  return {
    store,

    /** Returns null when the account already has an unfinished backfill. */
    async create(input: {
      accountId: number
      adminUserId: number
      startAt: Date
      includeSolved: boolean
      estimate: { tickets: number; notes: number; autotaskRequests: number } | null
    }): Promise<number | null> {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO backfills (zendesk_account_id, admin_user_id, start_at, include_solved, total_notes, estimated_requests)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [input.accountId, input.adminUserId, input.startAt, input.includeSolved, input.estimate?.notes ?? null, input.estimate?.autotaskRequests ?? null],
      )
      return rows[0] ? Number(rows[0].id) : null
    },

    async get(accountId: number, id: number): Promise<BackfillView | null> {
      const { rows } = await pool.query('SELECT * FROM backfills WHERE id = $1 AND zendesk_account_id = $2', [id, accountId])
      return rows[0] ? toBackfill(rows[0]) : null
    },

    async list(accountId: number, limit: number): Promise<BackfillView[]> {
      const { rows } = await pool.query('SELECT * FROM backfills WHERE zendesk_account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [accountId, limit])
      return rows.map(toBackfill)
    },

    async saveDeferredJob(id: number, jobId: string): Promise<void> {
      await pool.query('UPDATE backfills SET deferred_job_id = $2 WHERE id = $1', [id, jobId])
    },

    /** The job deferred for a budget wait, cleared as it is read (it is about to be cancelled or replaced). */
    async takeDeferredJob(id: number): Promise<string | null> {
      const { rows } = await pool.query<{ job: string | null }>(
        'UPDATE backfills b SET deferred_job_id = NULL FROM (SELECT id, deferred_job_id AS job FROM backfills WHERE id = $1 FOR UPDATE) old WHERE b.id = old.id RETURNING old.job',
        [id],
      )
      return rows[0]?.job ?? null
    },

    async addRequests(id: number, requests: number): Promise<void> {
      await pool.query('UPDATE backfills SET autotask_requests = autotask_requests + $2 WHERE id = $1', [id, requests])
    },

    /** A running backfill stops after its current batch; a waiting or queued one stops at once. */
    async requestPause(id: number): Promise<void> {
      await pool.query(
        `UPDATE backfills SET state = CASE WHEN state IN ('counting', 'running') THEN 'pausing' ELSE 'paused' END, updated_at = now()
          WHERE id = $1 AND state IN ('queued', 'counting', 'running', 'waiting_budget')`,
        [id],
      )
    },

    async markQueued(id: number): Promise<void> {
      await pool.query(
        `UPDATE backfills SET state = 'queued', error = NULL, resume_at = NULL, updated_at = now() WHERE id = $1 AND state IN ('paused', 'waiting_budget')`,
        [id],
      )
    },
  }
}

export type BackfillRepository = ReturnType<typeof createBackfillRepository>
