import { createHash, randomBytes } from 'node:crypto'
import type { Pool } from 'pg'

export interface AdminSession {
  adminUserId: number
  csrfToken: string
  expiresAt: Date
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('base64url')

/**
 * Sign-in sessions kept in PostgreSQL, so any backend instance serves any admin and sign-out is
 * immediate. A session ends after `idleSeconds` unused, and in any case `lifetimeSeconds` after
 * it was created (sign-in), however active.
 */
export function createAdminSessionsRepository(pool: Pool) {
  return {
    async create(adminUserId: number, idleSeconds: number, lifetimeSeconds: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(24).toString('base64url')
      const { rows } = await pool.query<{ expires_at: Date }>(
        `INSERT INTO admin_sessions (token_hash, admin_user_id, csrf_token, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => least($4::double precision, $5::double precision))) RETURNING expires_at`,
        [hashOf(token), adminUserId, csrfToken, idleSeconds, lifetimeSeconds],
      )
      return { token, csrfToken, expiresAt: rows[0]!.expires_at }
    },

    /** The live session of `token`, its expiry slid forward (idle timeout) but never past its lifetime. */
    async touch(token: string, idleSeconds: number, lifetimeSeconds: number): Promise<AdminSession | null> {
      const { rows } = await pool.query<{ admin_user_id: string; csrf_token: string; expires_at: Date }>(
        `UPDATE admin_sessions
            SET last_seen_at = now(), expires_at = least(now() + make_interval(secs => $2::double precision), created_at + make_interval(secs => $3::double precision))
          WHERE token_hash = $1 AND expires_at > now() AND created_at + make_interval(secs => $3::double precision) > now()
          RETURNING admin_user_id, csrf_token, expires_at`,
        [hashOf(token), idleSeconds, lifetimeSeconds],
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

    /** A Zendesk connect started by this session: its state, PKCE verifier and the token of the callback's cookie. */
    async saveOAuthState(token: string, state: string, verifier: string, bindingToken: string): Promise<void> {
      await pool.query(
        'UPDATE admin_sessions SET oauth_state = $2, oauth_verifier = $3, oauth_binding_hash = $4, oauth_started_at = now() WHERE token_hash = $1',
        [hashOf(token), state, verifier, hashOf(bindingToken)],
      )
    },

    /**
     * The connect that the callback's cookie (`bindingToken`) and `state` both name, started less than
     * `maxAgeSeconds` ago by a session still alive; works once. Its admin and PKCE verifier.
     */
    async takeOAuthFlow(
      bindingToken: string,
      state: string,
      maxAgeSeconds: number,
      lifetimeSeconds: number,
    ): Promise<{ adminUserId: number; verifier: string } | null> {
      const { rows } = await pool.query<{ admin_user_id: string; verifier: string | null }>(
        `UPDATE admin_sessions s SET oauth_state = NULL, oauth_verifier = NULL, oauth_binding_hash = NULL, oauth_started_at = NULL
           FROM (SELECT token_hash, oauth_verifier AS verifier, oauth_started_at AS started_at, expires_at, created_at
                   FROM admin_sessions WHERE oauth_binding_hash = $1 AND oauth_state = $2 FOR UPDATE) old
          WHERE s.token_hash = old.token_hash
          RETURNING s.admin_user_id,
                    CASE WHEN old.started_at > now() - make_interval(secs => $3) AND old.expires_at > now()
                          AND old.created_at + make_interval(secs => $4) > now() THEN old.verifier END AS verifier`,
        [hashOf(bindingToken), state, maxAgeSeconds, lifetimeSeconds],
      )
      const row = rows[0]
      return row?.verifier ? { adminUserId: Number(row.admin_user_id), verifier: row.verifier } : null
    },
  }
}

export type AdminSessionsRepository = ReturnType<typeof createAdminSessionsRepository>
