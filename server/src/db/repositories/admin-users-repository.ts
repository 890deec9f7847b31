import type { Pool } from 'pg'

export interface AdminUser {
  id: number
  zendeskAccountId: number
  /** When set, this admin sees and changes only this Autotask connection. */
  connectionId: number | null
  email: string
  passwordHash: string
  mustChangePassword: boolean
  /** A Zendesk agent let in read-only (issue 21): sees, changes nothing. */
  readOnly: boolean
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
  readOnly: row.read_only === true,
  failedAttempts: row.failed_attempts as number,
  lockedUntil: row.locked_until as Date | null,
  createdAt: row.created_at as Date,
})

/**
 * The admin a sign-in names: by email within the account of subdomain $2, or, without one, the
 * email's only admin across accounts (none when it administers several: then the account is asked).
 */
const CANDIDATE = `SELECT min(a.id) FROM admin_users a JOIN zendesk_accounts z ON z.id = a.zendesk_account_id
  WHERE lower(a.email) = lower($1) AND ($2::text IS NULL OR z.subdomain = lower($2)) HAVING count(*) = 1`

/** Admin logins, one Zendesk account each; an email is unique within its account. */
export function createAdminUsersRepository(pool: Pool) {
  return {
    /**
     * The admin with this email in the account of `subdomain`; without a subdomain, the only admin
     * with this email in any account (null when none, or when several accounts have one).
     */
    async findOne(email: string, subdomain: string | null): Promise<AdminUser | null> {
      const { rows } = await pool.query(`SELECT u.* FROM admin_users u WHERE u.id = (${CANDIDATE})`, [email.trim(), subdomain])
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

    /** Returns null when the account already has an admin with this email. */
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

    /**
     * Takes one sign-in attempt for the admin `findOne` would find, before the password is checked:
     * counted as a failure up front, and the login locked for `lockSeconds` by the attempt that
     * reaches `limit`. One statement, so attempts racing in parallel queue on the row and each
     * sees the count the others left: no more than `limit` passwords are ever checked per lock.
     * Null (nothing to check) when there is no such admin or the login is locked.
     */
    async takeSignInAttempt(email: string, subdomain: string | null, limit: number, lockSeconds: number): Promise<AdminUser | null> {
      const { rows } = await pool.query(
        `UPDATE admin_users SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= $3 THEN now() + make_interval(secs => $4) ELSE locked_until END,
                updated_at = now()
          WHERE id = (${CANDIDATE}) AND (locked_until IS NULL OR locked_until <= now())
          RETURNING *`,
        [email.trim(), subdomain, limit, lockSeconds],
      )
      return rows[0] ? toUser(rows[0]) : null
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
