import type { Pool } from 'pg'

/** What an admin may see: the whole account, or one connection of it. */
export interface MonitorScope {
  accountId: number
  connectionId: number | null
}

export interface RunRow {
  id: number
  kind: string
  trigger: string
  status: string
  connectionId: number | null
  startedAt: Date
  finishedAt: Date | null
  durationMs: number | null
  counts: Record<string, number>
  apiUsage: Record<string, number>
  error: string | null
}

export interface ProblemRow {
  id: number
  connectionId: number | null
  connectionName: string | null
  zendeskTicketId: number | null
  autotaskTicketId: number | null
  autotaskTicketNumber: string | null
  autotaskUrl: string | null
  code: string
  message: string
  remoteMessage: string | null
  attempts: number
  state: string
  nextRetryAt: Date | null
  firstSeenAt: Date
  lastSeenAt: Date
}

const toRun = (row: Record<string, unknown>): RunRow => ({
  id: Number(row.id),
  kind: row.kind as string,
  trigger: row.trigger as string,
  status: row.status as string,
  connectionId: row.connection_id === null ? null : Number(row.connection_id),
  startedAt: row.started_at as Date,
  finishedAt: row.finished_at as Date | null,
  durationMs: row.finished_at ? (row.finished_at as Date).getTime() - (row.started_at as Date).getTime() : null,
  counts: row.counts as Record<string, number>,
  apiUsage: row.api_usage as Record<string, number>,
  error: row.error as string | null,
})

const PROBLEM_SELECT = `
  SELECT p.*, c.name AS connection_name, l.autotask_ticket_number, l.autotask_snapshot->>'url' AS autotask_url
    FROM sync_problems p
    LEFT JOIN autotask_connections c ON c.id = p.connection_id
    LEFT JOIN ticket_links l ON l.zendesk_account_id = p.zendesk_account_id AND l.zendesk_ticket_id = p.zendesk_ticket_id`

const toProblem = (row: Record<string, unknown>): ProblemRow => ({
  id: Number(row.id),
  connectionId: row.connection_id === null ? null : Number(row.connection_id),
  connectionName: row.connection_name as string | null,
  zendeskTicketId: row.zendesk_ticket_id === null ? null : Number(row.zendesk_ticket_id),
  autotaskTicketId: row.autotask_ticket_id === null ? null : Number(row.autotask_ticket_id),
  autotaskTicketNumber: row.autotask_ticket_number as string | null,
  autotaskUrl: row.autotask_url as string | null,
  code: row.code as string,
  message: row.message as string,
  remoteMessage: row.remote_message as string | null,
  attempts: row.attempts as number,
  state: row.state as string,
  nextRetryAt: row.next_retry_at as Date | null,
  firstSeenAt: row.first_seen_at as Date,
  lastSeenAt: row.last_seen_at as Date,
})

/** Read models for the console's monitor: runs, budgets, the error inbox and per-ticket timelines. */
export function createAdminMonitorRepository(pool: Pool) {
  return {
    /** Runs newest first. A connection-limited admin sees only runs recorded for that connection. */
    async runs(scope: MonitorScope, limit: number): Promise<RunRow[]> {
      const { rows } = await pool.query(
        `SELECT * FROM sync_runs WHERE zendesk_account_id = $1 AND ($2::bigint IS NULL OR connection_id = $2)
          ORDER BY started_at DESC, id DESC LIMIT $3`,
        [scope.accountId, scope.connectionId, limit],
      )
      return rows.map(toRun)
    },

    /** Autotask requests charged per connection in the rolling hour (the shared PostgreSQL gate's own count). */
    async autotaskUsage(scope: MonitorScope): Promise<Array<{ connectionId: number; name: string; requestsLastHour: number }>> {
      const { rows } = await pool.query(
        `SELECT c.id, c.name, coalesce(sum(u.requests), 0)::int AS requests
           FROM autotask_connections c
           LEFT JOIN autotask_request_usage u ON u.connection_id = c.id AND u.minute > now() - interval '1 hour'
          WHERE c.zendesk_account_id = $1 AND c.removed_at IS NULL AND ($2::bigint IS NULL OR c.id = $2)
          GROUP BY c.id, c.name ORDER BY c.id`,
        [scope.accountId, scope.connectionId],
      )
      return rows.map((row) => ({ connectionId: Number(row.id), name: row.name as string, requestsLastHour: row.requests as number }))
    },

    /** Zendesk requests made by runs that finished in the last `minutes` minutes. */
    async zendeskRequests(accountId: number, minutes: number): Promise<number> {
      const { rows } = await pool.query<{ requests: number }>(
        `SELECT coalesce(sum((api_usage->>'zendesk')::int), 0)::int AS requests FROM sync_runs
          WHERE zendesk_account_id = $1 AND finished_at > now() - make_interval(mins => $2)`,
        [accountId, minutes],
      )
      return rows[0]?.requests ?? 0
    },

    /** Problems waiting for a person (open or being retried), for the navigation's count. */
    async openProblemCount(scope: MonitorScope): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sync_problems
          WHERE zendesk_account_id = $1 AND ($2::bigint IS NULL OR connection_id = $2) AND state IN ('open', 'retrying')`,
        [scope.accountId, scope.connectionId],
      )
      return rows[0]?.n ?? 0
    },

    async problems(scope: MonitorScope, states: string[], limit: number): Promise<ProblemRow[]> {
      const { rows } = await pool.query(
        `${PROBLEM_SELECT}
          WHERE p.zendesk_account_id = $1 AND ($2::bigint IS NULL OR p.connection_id = $2) AND p.state = ANY($3::text[])
          ORDER BY p.last_seen_at DESC, p.id DESC LIMIT $4`,
        [scope.accountId, scope.connectionId, states, limit],
      )
      return rows.map(toProblem)
    },

    async problem(scope: MonitorScope, id: number): Promise<ProblemRow | null> {
      const { rows } = await pool.query(`${PROBLEM_SELECT} WHERE p.id = $1 AND p.zendesk_account_id = $2 AND ($3::bigint IS NULL OR p.connection_id = $3)`, [
        id,
        scope.accountId,
        scope.connectionId,
      ])
      return rows[0] ? toProblem(rows[0]) : null
    },

    async setProblemState(id: number, state: 'retrying' | 'skipped' | 'resolved'): Promise<void> {
      await pool.query(
        `UPDATE sync_problems SET state = $2, next_retry_at = CASE WHEN $2 = 'retrying' THEN now() ELSE NULL END, last_seen_at = now() WHERE id = $1`,
        [id, state],
      )
    },

    /**
     * Takes a skipped ticket off the engine's dirty list: the admin decided it is not worth more
     * attempts. Its next Zendesk change brings it back through the export as usual.
     */
    async stopRetrying(accountId: number, zendeskTicketId: number): Promise<void> {
      await pool.query(
        'UPDATE ticket_sync_state SET dirty_since = NULL, next_attempt_at = NULL, updated_at = now() WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2',
        [accountId, zendeskTicketId],
      )
    },

    async findZendeskTicketIdByAutotaskNumber(scope: MonitorScope, ticketNumber: string): Promise<number | null> {
      const { rows } = await pool.query<{ zendesk_ticket_id: number }>(
        `SELECT zendesk_ticket_id FROM ticket_links WHERE zendesk_account_id = $1 AND ($2::bigint IS NULL OR connection_id = $2)
            AND upper(autotask_ticket_number) = upper($3) LIMIT 1`,
        [scope.accountId, scope.connectionId, ticketNumber.trim()],
      )
      return rows[0] ? Number(rows[0].zendesk_ticket_id) : null
    },

    /** Everything PSA Link knows about one Zendesk ticket, within the admin's scope. */
    async timeline(scope: MonitorScope, zendeskTicketId: number) {
      const linkResult = await pool.query(
        `SELECT l.*, c.name AS connection_name FROM ticket_links l JOIN autotask_connections c ON c.id = l.connection_id
          WHERE l.zendesk_account_id = $1 AND l.zendesk_ticket_id = $2`,
        [scope.accountId, zendeskTicketId],
      )
      const link = linkResult.rows[0] as Record<string, unknown> | undefined
      const linkConnection = link ? Number(link.connection_id) : null
      const problems = (
        await pool.query(`${PROBLEM_SELECT} WHERE p.zendesk_account_id = $1 AND p.zendesk_ticket_id = $2 ORDER BY p.last_seen_at DESC`, [
          scope.accountId,
          zendeskTicketId,
        ])
      ).rows.map(toProblem)
      if (scope.connectionId !== null) {
        const mine = linkConnection === scope.connectionId || (!link && problems.some((problem) => problem.connectionId === scope.connectionId))
        if (!mine) return null
      }
      const state = (
        await pool.query('SELECT * FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2', [scope.accountId, zendeskTicketId])
      ).rows[0] as Record<string, unknown> | undefined
      if (!link && !state && problems.length === 0) return null
      const ledger = link
        ? (
            await pool.query(
              `SELECT id, origin, zendesk_comment_id, autotask_note_id, part, state, skip_reason, author_name, is_public, preview, source_created_at, created_at, completed_at
                 FROM comment_links WHERE ticket_link_id = $1 ORDER BY coalesce(source_created_at, created_at), id`,
              [link.id],
            )
          ).rows
        : []
      const runs = (
        await pool.query(`SELECT * FROM sync_runs WHERE zendesk_account_id = $1 AND kind = 'ticket' AND trigger LIKE $2 ORDER BY started_at DESC LIMIT 20`, [
          scope.accountId,
          `%:${zendeskTicketId}`,
        ])
      ).rows.map(toRun)
      return {
        zendeskTicketId,
        link: link
          ? {
              connectionId: linkConnection,
              connectionName: link.connection_name as string,
              autotaskTicketId: link.autotask_ticket_id as number | null,
              autotaskTicketNumber: link.autotask_ticket_number as string | null,
              autotaskUrl: (link.autotask_snapshot as { url?: string } | null)?.url ?? null,
              state: link.state as string,
              lastError: link.last_error as string | null,
              lastSyncedAt: link.last_synced_at as Date | null,
              createdAt: link.created_at as Date,
            }
          : null,
        state: state
          ? {
              state: state.state as string,
              message: state.message as string | null,
              clusterId: state.cluster_id as string | null,
              lastAttemptAt: state.last_attempt_at as Date | null,
              nextAttemptAt: state.next_attempt_at as Date | null,
            }
          : null,
        ledger: ledger.map((row) => ({
          id: Number(row.id),
          origin: row.origin as string,
          zendeskCommentId: row.zendesk_comment_id as number | null,
          autotaskNoteId: row.autotask_note_id as number | null,
          part: row.part as number,
          state: row.state as string,
          skipReason: row.skip_reason as string | null,
          authorName: row.author_name as string | null,
          isPublic: row.is_public as boolean | null,
          preview: row.preview as string | null,
          at: (row.source_created_at ?? row.created_at) as Date,
        })),
        problems,
        runs,
      }
    },
  }
}

export type AdminMonitorRepository = ReturnType<typeof createAdminMonitorRepository>
