import type { Pool } from 'pg'
import type { ExportPosition } from '../../sync/ports/zendesk-gateway'
import type { RouteOverride, StoredRoute, SyncBookkeepingStore } from '../../sync/ports/sync-bookkeeping-store'
import { withTransaction } from '../transaction'

/** Routes, the error inbox, cursors and run records: what the engine keeps besides links and the ledger. */
export function createSyncBookkeepingRepository(pool: Pool): SyncBookkeepingStore {
  return {
    async findRoutes(accountId, clusterIds) {
      if (clusterIds.length === 0) return []
      const { rows } = await pool.query<StoredRoute>(
        `SELECT r.connection_id AS "connectionId", r.installed_product_id AS "installedProductId",
                r.autotask_account_id AS "autotaskAccountId", r.cluster_id AS "clusterId"
           FROM cluster_routes r JOIN autotask_connections c ON c.id = r.connection_id
          WHERE r.zendesk_account_id = $1 AND r.cluster_id = ANY($2::text[]) AND r.active AND c.removed_at IS NULL
          ORDER BY r.connection_id, r.installed_product_id`,
        [accountId, clusterIds],
      )
      return rows
    },

    async saveRoutes(accountId, connectionId, clusterIds, routes) {
      await withTransaction(pool, async (client) => {
        await client.query('DELETE FROM cluster_routes WHERE connection_id = $1 AND cluster_id = ANY($2::text[])', [connectionId, clusterIds])
        if (routes.length > 0) {
          await client.query(
            `INSERT INTO cluster_routes (zendesk_account_id, connection_id, installed_product_id, cluster_id, autotask_account_id, active)
             SELECT $1, $2, product, cluster, account, true FROM unnest($3::bigint[], $4::text[], $5::bigint[]) AS r (product, cluster, account)
             ON CONFLICT (connection_id, installed_product_id) DO UPDATE SET
               cluster_id = EXCLUDED.cluster_id, autotask_account_id = EXCLUDED.autotask_account_id, active = true, refreshed_at = now()`,
            [
              accountId,
              connectionId,
              routes.map((route) => route.installedProductId),
              routes.map((route) => route.clusterId),
              routes.map((route) => route.autotaskAccountId),
            ],
          )
        }
      })
    },

    async findRouteOverrides(accountId, clusterIds) {
      if (clusterIds.length === 0) return []
      const { rows } = await pool.query<RouteOverride>(
        `SELECT o.cluster_id AS "clusterId", o.connection_id AS "connectionId", o.installed_product_id AS "installedProductId",
                o.autotask_account_id AS "autotaskAccountId"
           FROM cluster_route_overrides o JOIN autotask_connections c ON c.id = o.connection_id
          WHERE o.zendesk_account_id = $1 AND o.cluster_id = ANY($2::text[]) AND c.removed_at IS NULL`,
        [accountId, clusterIds],
      )
      return rows
    },

    async recordProblem(problem) {
      await pool.query(
        `INSERT INTO sync_problems (zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, code, message,
                                    remote_message, state, next_retry_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::timestamptz IS NULL THEN 'open' ELSE 'retrying' END, $8)
         ON CONFLICT (zendesk_account_id, zendesk_ticket_id, code) WHERE state IN ('open', 'retrying') DO UPDATE SET
           attempts = sync_problems.attempts + 1, message = EXCLUDED.message, remote_message = EXCLUDED.remote_message,
           connection_id = EXCLUDED.connection_id, autotask_ticket_id = coalesce(EXCLUDED.autotask_ticket_id, sync_problems.autotask_ticket_id),
           state = EXCLUDED.state, next_retry_at = EXCLUDED.next_retry_at, last_seen_at = now()`,
        [
          problem.zendeskAccountId,
          problem.connectionId,
          problem.zendeskTicketId,
          problem.autotaskTicketId,
          problem.code,
          problem.message,
          problem.remoteMessage,
          problem.retryAt,
        ],
      )
    },

    async resolveProblems(accountId, ticketId) {
      await pool.query(
        `UPDATE sync_problems SET state = 'resolved', next_retry_at = NULL, last_seen_at = now()
          WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2 AND state IN ('open', 'retrying')`,
        [accountId, ticketId],
      )
    },

    async getExportPosition(accountId) {
      const { rows } = await pool.query<{ export_cursor: string | null; export_start_time: number | null }>(
        'SELECT export_cursor, export_start_time FROM zendesk_accounts WHERE id = $1',
        [accountId],
      )
      const row = rows[0]
      if (row?.export_cursor) return { cursor: row.export_cursor }
      if (row?.export_start_time !== null && row?.export_start_time !== undefined) return { startTime: row.export_start_time }
      return null
    },

    async advanceExportPosition(accountId, position: ExportPosition, dirtyTicketIds) {
      await withTransaction(pool, async (client) => {
        if (dirtyTicketIds.length > 0) {
          await client.query(
            `INSERT INTO ticket_sync_state (zendesk_account_id, zendesk_ticket_id, dirty_since, next_attempt_at)
             SELECT $1, unnest($2::bigint[]), now(), now()
             ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE SET
               dirty_since = coalesce(ticket_sync_state.dirty_since, now()),
               next_attempt_at = coalesce(ticket_sync_state.next_attempt_at, now())`,
            [accountId, dirtyTicketIds],
          )
        }
        await client.query('UPDATE zendesk_accounts SET export_cursor = $2, export_start_time = $3, updated_at = now() WHERE id = $1', [
          accountId,
          'cursor' in position ? position.cursor : null,
          'startTime' in position ? position.startTime : null,
        ])
      })
    },

    async getNoteWatermark(connectionId) {
      const { rows } = await pool.query<{ note_watermark: Date | null }>('SELECT note_watermark FROM autotask_connections WHERE id = $1', [connectionId])
      return rows[0]?.note_watermark ?? null
    },

    async advanceNoteWatermark(connectionId, watermark, scanStartedAt) {
      await pool.query(
        'UPDATE autotask_connections SET note_watermark = $2, scan_started_at = coalesce($3, scan_started_at), updated_at = now() WHERE id = $1',
        [connectionId, watermark, scanStartedAt ?? null],
      )
    },

    async getScanClock(connectionId) {
      const { rows } = await pool.query<{ scan_started_at: Date | null; now: Date }>(
        'SELECT (SELECT scan_started_at FROM autotask_connections WHERE id = $1) AS scan_started_at, now() AS now',
        [connectionId],
      )
      return { lastScanStartedAt: rows[0]?.scan_started_at ?? null, now: rows[0]!.now }
    },

    async ticketsWrittenSinceScan(connectionId, since, limit) {
      const { rows } = await pool.query<{ autotask_ticket_id: string }>(
        `SELECT DISTINCT l.autotask_ticket_id FROM comment_links c JOIN ticket_links l ON l.id = c.ticket_link_id
          WHERE c.connection_id = $1 AND c.origin = 'zendesk' AND (c.completed_at >= $2 OR c.completed_at IS NULL) AND l.autotask_ticket_id IS NOT NULL
         UNION
         SELECT l.autotask_ticket_id FROM ticket_sync_state s
           JOIN ticket_links l ON l.zendesk_account_id = s.zendesk_account_id AND l.zendesk_ticket_id = s.zendesk_ticket_id
          WHERE s.zendesk_account_id = (SELECT zendesk_account_id FROM autotask_connections WHERE id = $1)
            AND s.lease_owner IS NOT NULL AND l.connection_id = $1 AND l.autotask_ticket_id IS NOT NULL
         LIMIT $3`,
        [connectionId, since, limit],
      )
      return rows.map((row) => Number(row.autotask_ticket_id))
    },

    async startRun(run) {
      const { rows } = await pool.query<{ id: number }>(
        'INSERT INTO sync_runs (zendesk_account_id, connection_id, kind, trigger) VALUES ($1, $2, $3, $4) RETURNING id',
        [run.accountId, run.connectionId, run.kind, run.trigger],
      )
      return rows[0]!.id
    },

    async updateRunProgress(runId, counts) {
      await pool.query(`UPDATE sync_runs SET counts = $2, alive_at = now() WHERE id = $1 AND status = 'running'`, [runId, JSON.stringify(counts)])
    },

    async finishRun(runId, result) {
      await pool.query(`UPDATE sync_runs SET status = $2, counts = $3, api_usage = $4, error = $5, finished_at = now() WHERE id = $1`, [
        runId,
        result.status,
        JSON.stringify(result.counts),
        JSON.stringify(result.apiUsage),
        result.error,
      ])
    },
  }
}
