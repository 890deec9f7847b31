import type { Pool } from 'pg'
import type { SealedCell, SecretBox } from '../../security/secret-box'

/** The SMTP password opens only in its own account's row (the table is keyed by the account). */
const smtpPasswordCell = (accountId: number): SealedCell => ({ table: 'alert_smtp_settings', column: 'password_enc', id: accountId })

export type AlertTargetKind = 'email' | 'webhook'

export interface AlertTarget {
  id: number
  accountId: number
  kind: AlertTargetKind
  address: string
  createdAt: Date
  lastSentAt: Date | null
  lastError: string | null
}

export interface SmtpSettings {
  host: string
  port: number
  secure: boolean
  username: string | null
  password: string | null
  from: string
}

/** Alert targets, an account's SMTP server (its password sealed) and the once-per-period bookkeeping. */
export function createAlertsRepository(pool: Pool, box: SecretBox) {
  return {
    async targets(accountId: number): Promise<AlertTarget[]> {
      const { rows } = await pool.query(
        `SELECT t.*, s.last_sent_at, s.last_error FROM alert_targets t
           LEFT JOIN LATERAL (SELECT last_sent_at, last_error FROM alert_sends WHERE target_id = t.id ORDER BY last_sent_at DESC LIMIT 1) s ON true
          WHERE t.zendesk_account_id = $1 ORDER BY t.id`,
        [accountId],
      )
      return rows.map((row) => ({
        id: Number(row.id),
        accountId: Number(row.zendesk_account_id),
        kind: row.kind as AlertTargetKind,
        address: row.address as string,
        createdAt: row.created_at as Date,
        lastSentAt: (row.last_sent_at as Date | null) ?? null,
        lastError: (row.last_error as string | null) ?? null,
      }))
    },

    async addTarget(accountId: number, kind: AlertTargetKind, address: string): Promise<number | null> {
      const { rows } = await pool.query<{ id: number }>(
        'INSERT INTO alert_targets (zendesk_account_id, kind, address) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
        [accountId, kind, address],
      )
      return rows[0]?.id ?? null
    },

    async removeTarget(accountId: number, id: number): Promise<AlertTarget | null> {
      const { rows } = await pool.query('DELETE FROM alert_targets WHERE zendesk_account_id = $1 AND id = $2 RETURNING *', [accountId, id])
      const row = rows[0]
      return row ? { id: Number(row.id), accountId, kind: row.kind, address: row.address, createdAt: row.created_at, lastSentAt: null, lastError: null } : null
    },

    async smtp(accountId: number): Promise<SmtpSettings | null> {
      const { rows } = await pool.query('SELECT * FROM alert_smtp_settings WHERE zendesk_account_id = $1', [accountId])
      const row = rows[0]
      if (!row) return null
      return {
        host: row.host as string,
        port: row.port as number,
        secure: row.secure as boolean,
        username: row.username as string | null,
        password: row.password_enc ? box.open(row.password_enc as string, smtpPasswordCell(accountId)) : null,
        from: row.from_address as string,
      }
    },

    /** Saves the account's SMTP server; `password: undefined` keeps the stored one. */
    async saveSmtp(accountId: number, settings: Omit<SmtpSettings, 'password'> & { password: string | null | undefined }): Promise<void> {
      await pool.query(
        `INSERT INTO alert_smtp_settings (zendesk_account_id, host, port, secure, username, password_enc, from_address)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (zendesk_account_id) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, secure = EXCLUDED.secure,
           username = EXCLUDED.username, from_address = EXCLUDED.from_address, updated_at = now(),
           password_enc = CASE WHEN $8 THEN alert_smtp_settings.password_enc ELSE EXCLUDED.password_enc END`,
        [
          accountId,
          settings.host,
          settings.port,
          settings.secure,
          settings.username,
          settings.password ? box.seal(settings.password, smtpPasswordCell(accountId)) : null,
          settings.from,
          settings.password === undefined,
        ],
      )
    },

    async removeSmtp(accountId: number): Promise<void> {
      await pool.query('DELETE FROM alert_smtp_settings WHERE zendesk_account_id = $1', [accountId])
    },

    /**
     * Claims the right to send `topic` to the target now: true at most once per `periodMinutes`,
     * whichever process asks (the row's update is the lock).
     */
    async claimSend(targetId: number, topic: string, periodMinutes: number): Promise<boolean> {
      const { rowCount } = await pool.query(
        `INSERT INTO alert_sends (zendesk_account_id, target_id, topic) SELECT zendesk_account_id, $1, $2 FROM alert_targets WHERE id = $1
         ON CONFLICT (target_id, topic) DO UPDATE SET last_sent_at = now(), last_error = NULL
           WHERE alert_sends.last_sent_at <= now() - make_interval(mins => $3)`,
        [targetId, topic, periodMinutes],
      )
      return (rowCount ?? 0) > 0
    },

    async recordSendResult(targetId: number, topic: string, error: string | null): Promise<void> {
      await pool.query(
        `INSERT INTO alert_sends (zendesk_account_id, target_id, topic, last_error) SELECT zendesk_account_id, $1, $2, $3 FROM alert_targets WHERE id = $1
         ON CONFLICT (target_id, topic) DO UPDATE SET last_sent_at = now(), last_error = EXCLUDED.last_error`,
        [targetId, topic, error],
      )
    },

    /** Problems waiting for a person across the account (open or being retried). */
    async openProblemCount(accountId: number): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sync_problems WHERE zendesk_account_id = $1 AND state IN ('open', 'retrying')`,
        [accountId],
      )
      return rows[0]?.n ?? 0
    },
  }
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>
