import type { Pool } from 'pg'

export interface AdminUser {
  id: number
  zendeskAccountId: number
  /** When set, this admin sees and changes only this Autotask connection. */
  connectionId: number | null
  email: string
  passwordHash: string
  mustChangePassword: boolean
  failedAttempts: number
  lockedUntil: Date | null
  createdAt: Date
}

const toUser = (row: Record<string, unknown>): AdminUser => ({
  id: Number(row.id),
  zendeskAccountId: Number(row.zendesk_account_id),
  connectionId: row.connection_id === null ? null : Number(row.connection_id),
  email: row.email as string,
  passwordHash: row.password_hash as string,
  mustChangePassword: row.must_change_password as boolean,
  failedAttempts: row.failed_attempts as number,
  lockedUntil: row.locked_until as Date | null,
  createdAt: row.created_at as Date,
})

/** Admin logins, one Zendesk account each. Emails are unique across accounts (sign-in finds the account by email). */
export function createAdminUsersRepository(pool: Pool) {
  return {
    async findByEmail(email: string): Promise<AdminUser | null> {
      const { rows } = await pool.query('SELECT * FROM admin_users WHERE lower(email) = lower($1)', [email.trim()])
      return rows[0] ? toUser(rows[0]) : null
    },

    async get(id: number): Promise<AdminUser | null> {
      const { rows } = await pool.query('SELECT * FROM admin_users WHERE id = $1', [id])
      return rows[0] ? toUser(rows[0]) : null
    },

    async list(accountId: number): Promise<AdminUser[]> {
      const { rows } = await pool.query('SELECT * FROM admin_users WHERE zendesk_account_id = $1 ORDER BY lower(email)', [accountId])
      return rows.map(toUser)
    },

    /** Returns null when the email is taken. */
    async create(user: { zendeskAccountId: number; connectionId: number | null; email: string; passwordHash: string }): Promise<number | null> {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO admin_users (zendesk_account_id, connection_id, email, password_hash, must_change_password)
         VALUES ($1, $2, $3, $4, true) ON CONFLICT DO NOTHING RETURNING id`,
        [user.zendeskAccountId, user.connectionId, user.email.trim(), user.passwordHash],
      )
      return rows[0] ? Number(rows[0].id) : null
    },

    async remove(accountId: number, id: number): Promise<boolean> {
      const { rowCount } = await pool.query('DELETE FROM admin_users WHERE zendesk_account_id = $1 AND id = $2', [accountId, id])
      return (rowCount ?? 0) > 0
    },

    /** Counts a failed sign-in in one statement (two at once cannot both miss the limit) and locks at `limit`. */
    async recordFailure(id: number, limit: number, lockSeconds: number): Promise<{ failedAttempts: number; lockedUntil: Date | null }> {
      const { rows } = await pool.query<{ failed_attempts: number; locked_until: Date | null }>(
        `UPDATE admin_users SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END,
                updated_at = now()
          WHERE id = $1 RETURNING failed_attempts, locked_until`,
        [id, limit, lockSeconds],
      )
      return { failedAttempts: rows[0]?.failed_attempts ?? 0, lockedUntil: rows[0]?.locked_until ?? null }
    },

    async recordSuccess(id: number): Promise<void> {
      await pool.query('UPDATE admin_users SET failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [id])
    },

    async setPassword(id: number, passwordHash: string, mustChange: boolean): Promise<void> {
      await pool.query('UPDATE admin_users SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1', [id, passwordHash, mustChange])
    },
  }
}

export type AdminUsersRepository = ReturnType<typeof createAdminUsersRepository>
