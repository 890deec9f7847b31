import type { Pool } from 'pg'
import type { SecretBox } from '../../security/secret-box'
import { sealedCell } from './sealed-secrets-repository'

/** What the webhook receiver needs of an account: its signing secret and whose changes are PSA Link's own. */
export interface WebhookAccount {
  accountId: number
  webhookId: string | null
  signingSecret: string | null
  integrationUserId: number | null
}

/** The Zendesk webhook of each account: its id and sealed signing secret (zendesk_accounts). */
export function createWebhookRepository(pool: Pool, box: SecretBox) {
  return {
    async findWebhookAccount(accountId: number): Promise<WebhookAccount | null> {
      const { rows } = await pool.query<{ id: number; webhook_id: string | null; webhook_secret_enc: string | null; integration_user_id: number | null }>(
        'SELECT id, webhook_id, webhook_secret_enc, integration_user_id FROM zendesk_accounts WHERE id = $1',
        [accountId],
      )
      const row = rows[0]
      if (!row) return null
      return {
        accountId: row.id,
        webhookId: row.webhook_id,
        signingSecret: row.webhook_secret_enc === null ? null : box.open(row.webhook_secret_enc, sealedCell('zendesk_accounts', 'webhook_secret_enc', row.id)),
        integrationUserId: row.integration_user_id === null ? null : Number(row.integration_user_id),
      }
    },

    async saveWebhook(accountId: number, webhookId: string, signingSecret: string): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET webhook_id = $2, webhook_secret_enc = $3, updated_at = now() WHERE id = $1', [
        accountId,
        webhookId,
        box.seal(signingSecret, sealedCell('zendesk_accounts', 'webhook_secret_enc', accountId)),
      ])
    },
  }
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>
