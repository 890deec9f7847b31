import type { Pool } from 'pg'
import type { SecretBox } from '../../security/secret-box'
import { sealedCell } from './sealed-secrets-repository'

/** The admin console's writes to a Zendesk account's settings; secrets are sealed on the way in. */
export function createAdminZendeskRepository(pool: Pool, box: SecretBox) {
  return {
    async saveOAuthConnection(
      accountId: number,
      connection: {
        clientId: string
        clientSecret: string
        accessToken: string
        refreshToken: string | null
        expiresAt: Date | null
        integrationUserId: number
      },
    ): Promise<void> {
      await pool.query(
        `UPDATE zendesk_accounts SET oauth_client_id = $2, oauth_client_secret_enc = $3, oauth_access_token_enc = $4,
                oauth_refresh_token_enc = $5, oauth_expires_at = $6, integration_user_id = $7, updated_at = now()
          WHERE id = $1`,
        [
          accountId,
          connection.clientId,
          box.seal(connection.clientSecret, sealedCell('zendesk_accounts', 'oauth_client_secret_enc', accountId)),
          box.seal(connection.accessToken, sealedCell('zendesk_accounts', 'oauth_access_token_enc', accountId)),
          connection.refreshToken === null ? null : box.seal(connection.refreshToken, sealedCell('zendesk_accounts', 'oauth_refresh_token_enc', accountId)),
          connection.expiresAt,
          connection.integrationUserId,
        ],
      )
    },

    async saveClusterIdField(accountId: number, fieldId: number): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET cluster_id_field_id = $2, updated_at = now() WHERE id = $1', [accountId, fieldId])
    },

    async saveShowLinksInZendesk(accountId: number, enabled: boolean): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET show_links_in_zendesk = $2, updated_at = now() WHERE id = $1', [accountId, enabled])
    },

    async saveAppSharedSecret(accountId: number, secret: string): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET app_shared_secret_enc = $2, updated_at = now() WHERE id = $1', [
        accountId,
        box.seal(secret, sealedCell('zendesk_accounts', 'app_shared_secret_enc', accountId)),
      ])
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

export type AdminZendeskRepository = ReturnType<typeof createAdminZendeskRepository>
