import { createHash, randomBytes } from 'node:crypto'
import type { Pool } from 'pg'

export interface AdminSession {
  adminUserId: number
  csrfToken: string
  expiresAt: Date
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** Sign-in sessions kept in PostgreSQL, so any backend instance serves any admin and sign-out is immediate. */
export function createAdminSessionsRepository(pool: Pool) {
  return {
    async create(adminUserId: number, ttlSeconds: number): Promise<{ token: string; csrfToken: string }> {
      const token = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(24).toString('base64url')
      await pool.query(
        `INSERT INTO admin_sessions (token_hash, admin_user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
        [hashOf(token), adminUserId, csrfToken, ttlSeconds],
      )
      return { token, csrfToken }
    },

    /** The live session of `token`, its expiry slid forward (idle timeout). */
    async touch(token: string, ttlSeconds: number): Promise<AdminSession | null> {
      const { rows } = await pool.query<{ admin_user_id: string; csrf_token: string; expires_at: Date }>(
        `UPDATE admin_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2)
          WHERE token_hash = $1 AND expires_at > now() RETURNING admin_user_id, csrf_token, expires_at`,
        [hashOf(token), ttlSeconds],
      )
      const row = rows[0]
      return row ? { adminUserId: Number(row.admin_user_id), csrfToken: row.csrf_token, expiresAt: row.expires_at } : null
    },

    async remove(token: string): Promise<void> {
      await pool.query('DELETE FROM admin_sessions WHERE token_hash = $1 OR expires_at < now()', [hashOf(token)])
    },

    /** Ends every other session of a user (after a password change). */
    async removeOthers(adminUserId: number, keepToken: string): Promise<void> {
      await pool.query('DELETE FROM admin_sessions WHERE admin_user_id = $1 AND token_hash <> $2', [adminUserId, hashOf(keepToken)])
    },

    async saveOAuthState(token: string, state: string, verifier: string): Promise<void> {
      await pool.query('UPDATE admin_sessions SET oauth_state = $2, oauth_verifier = $3 WHERE token_hash = $1', [hashOf(token), state, verifier])
    },

    /** The PKCE verifier of the connect this session started with `state`; works once. */
    async takeOAuthVerifier(token: string, state: string): Promise<string | null> {
      const { rows } = await pool.query<{ verifier: string | null }>(
        `UPDATE admin_sessions s SET oauth_state = NULL, oauth_verifier = NULL
           FROM (SELECT token_hash, oauth_verifier AS verifier FROM admin_sessions WHERE token_hash = $1 AND oauth_state = $2 FOR UPDATE) old
          WHERE s.token_hash = old.token_hash RETURNING old.verifier`,
        [hashOf(token), state],
      )
      return rows[0]?.verifier ?? null
    },
  }
}

export type AdminSessionsRepository = ReturnType<typeof createAdminSessionsRepository>
