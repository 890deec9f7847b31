import type { Pool } from 'pg'

export interface AuditEntry {
  id: number
  at: Date
  action: string
  adminEmail: string | null
  connectionId: number | null
  details: Record<string, unknown>
}

/** Every admin action, per Zendesk account. Details never hold secrets. */
export function createAdminAuditRepository(pool: Pool) {
  return {
    async record(entry: { accountId: number; adminUserId: number | null; action: string; details?: Record<string, unknown> }): Promise<void> {
      // The actor's email is copied onto the entry: it stays when the admin is removed.
      await pool.query(
        `INSERT INTO audit_log (zendesk_account_id, admin_user_id, actor_email, action, details)
         VALUES ($1, $2, (SELECT email FROM admin_users WHERE id = $2), $3, $4)`,
        [entry.accountId, entry.adminUserId, entry.action, JSON.stringify(entry.details ?? {})],
      )
    },

    /** Newest first; with `connectionId`, only the entries about that connection. */
    async list(accountId: number, options: { connectionId: number | null; limit: number }): Promise<AuditEntry[]> {
      const { rows } = await pool.query(
        `SELECT a.id, a.at, a.action, a.details, a.actor_email AS email FROM audit_log a
          WHERE a.zendesk_account_id = $1 AND ($2::bigint IS NULL OR (a.details->>'connectionId')::bigint = $2)
          ORDER BY a.at DESC, a.id DESC LIMIT $3`,
        [accountId, options.connectionId, options.limit],
      )
      return rows.map((row) => {
        const details = row.details as Record<string, unknown>
        return {
          id: Number(row.id),
          at: row.at as Date,
          action: row.action as string,
          adminEmail: row.email as string | null,
          connectionId: typeof details.connectionId === 'number' ? details.connectionId : null,
          details,
        }
      })
    },
  }
}

export type AdminAuditRepository = ReturnType<typeof createAdminAuditRepository>
