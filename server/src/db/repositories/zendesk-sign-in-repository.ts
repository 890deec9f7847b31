import type { Pool } from 'pg'

/**
 * What a Zendesk sign-in login stores instead of a password hash: not an scrypt hash, so no password
 * ever verifies against it (see admin/passwords.ts `verifyPassword`).
 */
export const ZENDESK_ONLY_LOGIN = 'zendesk-sign-in'

/** Admins who sign in with Zendesk, and the account switches of issue 21. */
export function createZendeskSignInRepository(pool: Pool) {
  return {
    /**
     * The admin login of Zendesk user `zendeskUserId` in the account, made on the first sign-in.
     * A login with the same email made earlier (a password login) becomes this user's: Zendesk has
     * just said that this user is an admin of this very account with that email. Its scope (an
     * admin limited to one connection) stays.
     */
    async adminFor(accountId: number, zendeskUserId: number, email: string, readOnly = false): Promise<number> {
      const { rows } = await pool.query<{ id: string }>(
        `WITH known AS (
           UPDATE admin_users SET read_only = $5, updated_at = now() WHERE zendesk_account_id = $1 AND zendesk_user_id = $2 RETURNING id
         ), linked AS (
           UPDATE admin_users SET zendesk_user_id = $2, read_only = $5, updated_at = now()
            WHERE zendesk_account_id = $1 AND lower(email) = lower($3) AND zendesk_user_id IS NULL AND NOT EXISTS (SELECT 1 FROM known)
            RETURNING id
         ), created AS (
           INSERT INTO admin_users (zendesk_account_id, email, password_hash, must_change_password, zendesk_user_id, read_only)
           SELECT $1, $3, $4, false, $2, $5 WHERE NOT EXISTS (SELECT 1 FROM known) AND NOT EXISTS (SELECT 1 FROM linked)
           ON CONFLICT DO NOTHING
           RETURNING id
         )
         SELECT id FROM known UNION ALL SELECT id FROM linked UNION ALL SELECT id FROM created`,
        [accountId, zendeskUserId, email.trim(), ZENDESK_ONLY_LOGIN, readOnly],
      )
      if (rows[0]) return Number(rows[0].id)
      // Another login took this email meanwhile (a parallel first sign-in): it is this user's now.
      const again = await pool.query<{ id: string }>('SELECT id FROM admin_users WHERE zendesk_account_id = $1 AND zendesk_user_id = $2', [
        accountId,
        zendeskUserId,
      ])
      if (!again.rows[0]) throw new Error(`no admin login for Zendesk user ${zendeskUserId} in account ${accountId}`)
      return Number(again.rows[0].id)
    },

    /** Whether this admin login can sign in with Zendesk (so switching passwords off cannot lock it out). */
    async signsInWithZendesk(adminUserId: number): Promise<boolean> {
      const { rows } = await pool.query('SELECT 1 FROM admin_users WHERE id = $1 AND zendesk_user_id IS NOT NULL', [adminUserId])
      return rows.length > 0
    },

    /**
     * The ticket fields PSA Link created in the account's Zendesk (the audit log names each). A field
     * it only found by its title, or one of an entry from before this was recorded, is the
     * customer's and stays.
     */
    async fieldsCreatedByPsaLink(accountId: number): Promise<number[]> {
      const { rows } = await pool.query<{ field_id: string }>(
        `SELECT DISTINCT details->>'fieldId' AS field_id FROM audit_log
          WHERE zendesk_account_id = $1 AND action = 'cluster_field_created' AND details->>'createdByPsaLink' = 'true' AND details->>'fieldId' ~ '^[0-9]+$'`,
        [accountId],
      )
      return rows.map((row) => Number(row.field_id))
    },

    async agentsReadOnly(accountId: number): Promise<boolean> {
      const { rows } = await pool.query<{ agents_read_only: boolean }>('SELECT agents_read_only FROM zendesk_accounts WHERE id = $1', [accountId])
      return rows[0]?.agents_read_only ?? false
    },

    async setAgentsReadOnly(accountId: number, allowed: boolean): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET agents_read_only = $2, updated_at = now() WHERE id = $1', [accountId, allowed])
    },

    async passwordSignInAllowed(accountId: number): Promise<boolean> {
      const { rows } = await pool.query<{ password_sign_in: boolean }>('SELECT password_sign_in FROM zendesk_accounts WHERE id = $1', [accountId])
      return rows[0]?.password_sign_in ?? false
    },

    async setPasswordSignIn(accountId: number, allowed: boolean): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET password_sign_in = $2, updated_at = now() WHERE id = $1', [accountId, allowed])
    },

    /** The account's links as CSV rows (header first), for the admin to keep before leaving. */
    async linksCsv(accountId: number): Promise<string> {
      const { rows } = await pool.query<Record<string, unknown>>(
        `SELECT l.zendesk_ticket_id, l.autotask_ticket_id, l.autotask_ticket_number, c.name AS connection, l.state, l.linked_by, l.created_at, l.last_synced_at
           FROM ticket_links l JOIN autotask_connections c ON c.id = l.connection_id
          WHERE l.zendesk_account_id = $1 ORDER BY l.zendesk_ticket_id`,
        [accountId],
      )
      const columns = ['zendesk_ticket_id', 'autotask_ticket_id', 'autotask_ticket_number', 'connection', 'state', 'linked_by', 'created_at', 'last_synced_at']
      const cell = (value: unknown): string => {
        const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value)
        // Quoted when needed, and a leading formula character defused: spreadsheets run `=…` cells.
        const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
        return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
      }
      return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n'
    },

    /**
     * Deletes the account and everything that names it (every table's tenant key cascades from
     * zendesk_accounts). Returns what was deleted, for the operator's log.
     */
    async removeAccount(accountId: number): Promise<{ subdomain: string; links: number; admins: number } | null> {
      const { rows } = await pool.query<{ subdomain: string; links: string; admins: string }>(
        `WITH counts AS (
           SELECT (SELECT count(*) FROM ticket_links WHERE zendesk_account_id = $1) AS links,
                  (SELECT count(*) FROM admin_users WHERE zendesk_account_id = $1) AS admins
         )
         DELETE FROM zendesk_accounts z USING counts WHERE z.id = $1 RETURNING z.subdomain, counts.links::text, counts.admins::text`,
        [accountId],
      )
      const row = rows[0]
      return row ? { subdomain: row.subdomain, links: Number(row.links), admins: Number(row.admins) } : null
    },
  }
}

export type ZendeskSignInRepository = ReturnType<typeof createZendeskSignInRepository>
