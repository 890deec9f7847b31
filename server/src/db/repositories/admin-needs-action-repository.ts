import type { RouteCandidate } from '@psa-link/shared'
import type { Pool } from 'pg'

/** Tickets waiting on one Cluster ID that routes nowhere, or to several installed products. */
export interface ClusterIdGroup {
  clusterId: string
  /** `ambiguous` when some ticket of the group matched several installed products. */
  kind: 'unrouted' | 'ambiguous'
  ticketCount: number
  /** When the oldest of its tickets started waiting. */
  since: Date
  /** The first tickets, oldest id first (the count says how many there are). */
  ticketIds: number[]
  candidates: RouteCandidate[]
}

export interface RouteOverrideRow {
  clusterId: string
  connectionId: number
  connectionName: string
  installedProductId: number | null
  autotaskAccountId: number
  createdBy: string | null
  createdAt: Date
}

const TICKETS_SHOWN = 20

/**
 * The "needs action" inbox: tickets the engine cannot route, grouped by Cluster ID, and the routes
 * admins set for such Cluster IDs (which the engine reads through SyncBookkeepingStore.findRouteOverrides).
 */
export function createAdminNeedsActionRepository(pool: Pool) {
  return {
    async groups(accountId: number): Promise<ClusterIdGroup[]> {
      const { rows } = await pool.query(
        `SELECT lower(trim(cluster_id)) AS cluster_id,
                bool_or(state = 'ambiguous') AS ambiguous,
                count(*)::int AS ticket_count,
                min(coalesce(dirty_since, updated_at)) AS since,
                (array_agg(zendesk_ticket_id ORDER BY zendesk_ticket_id))[1:${TICKETS_SHOWN}] AS ticket_ids,
                (array_agg(candidates ORDER BY updated_at DESC) FILTER (WHERE state = 'ambiguous'))[1] AS candidates
           FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND state IN ('unrouted', 'ambiguous') AND cluster_id IS NOT NULL AND trim(cluster_id) <> ''
          GROUP BY 1
          ORDER BY count(*) DESC, min(coalesce(dirty_since, updated_at)), 1
          LIMIT 200`,
        [accountId],
      )
      return rows.map((row) => ({
        clusterId: row.cluster_id as string,
        kind: row.ambiguous ? 'ambiguous' : 'unrouted',
        ticketCount: row.ticket_count as number,
        since: row.since as Date,
        ticketIds: (row.ticket_ids as (number | string)[]).map(Number),
        candidates: (row.candidates as RouteCandidate[] | null) ?? [],
      }))
    },

    /** How many Cluster IDs wait for a route (the navigation's count). */
    async groupCount(accountId: number): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(DISTINCT lower(trim(cluster_id)))::int AS n FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND state IN ('unrouted', 'ambiguous') AND cluster_id IS NOT NULL AND trim(cluster_id) <> ''`,
        [accountId],
      )
      return rows[0]?.n ?? 0
    },

    /** Every ticket waiting on `clusterId` (normalised), to sync once it has a route. */
    async waitingTickets(accountId: number, clusterId: string): Promise<number[]> {
      const { rows } = await pool.query<{ zendesk_ticket_id: number }>(
        `SELECT zendesk_ticket_id FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND state IN ('unrouted', 'ambiguous') AND lower(trim(cluster_id)) = $2
          ORDER BY zendesk_ticket_id`,
        [accountId, clusterId],
      )
      return rows.map((row) => Number(row.zendesk_ticket_id))
    },

    async saveOverride(input: {
      accountId: number
      clusterId: string
      connectionId: number
      installedProductId: number | null
      autotaskAccountId: number
      adminUserId: number
    }): Promise<void> {
      await pool.query(
        `INSERT INTO cluster_route_overrides (zendesk_account_id, cluster_id, connection_id, installed_product_id, autotask_account_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (zendesk_account_id, cluster_id) DO UPDATE SET connection_id = EXCLUDED.connection_id,
           installed_product_id = EXCLUDED.installed_product_id, autotask_account_id = EXCLUDED.autotask_account_id,
           created_by = EXCLUDED.created_by, created_at = now()`,
        [input.accountId, input.clusterId, input.connectionId, input.installedProductId, input.autotaskAccountId, input.adminUserId],
      )
    },

    async overrides(accountId: number): Promise<RouteOverrideRow[]> {
      const { rows } = await pool.query(
        `SELECT o.cluster_id, o.connection_id, c.name AS connection_name, o.installed_product_id, o.autotask_account_id, u.email, o.created_at
           FROM cluster_route_overrides o
           JOIN autotask_connections c ON c.id = o.connection_id
           LEFT JOIN admin_users u ON u.id = o.created_by
          WHERE o.zendesk_account_id = $1 AND c.removed_at IS NULL
          ORDER BY o.created_at DESC`,
        [accountId],
      )
      return rows.map((row) => ({
        clusterId: row.cluster_id as string,
        connectionId: Number(row.connection_id),
        connectionName: row.connection_name as string,
        installedProductId: row.installed_product_id === null ? null : Number(row.installed_product_id),
        autotaskAccountId: Number(row.autotask_account_id),
        createdBy: row.email as string | null,
        createdAt: row.created_at as Date,
      }))
    },

    async override(accountId: number, clusterId: string): Promise<RouteOverrideRow | null> {
      return (await this.overrides(accountId)).find((row) => row.clusterId === clusterId) ?? null
    },

    async deleteOverride(accountId: number, clusterId: string): Promise<boolean> {
      const { rowCount } = await pool.query('DELETE FROM cluster_route_overrides WHERE zendesk_account_id = $1 AND cluster_id = $2', [accountId, clusterId])
      return (rowCount ?? 0) > 0
    },
  }
}

export type AdminNeedsActionRepository = ReturnType<typeof createAdminNeedsActionRepository>
