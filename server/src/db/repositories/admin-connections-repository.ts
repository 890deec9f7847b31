import type { Pool } from 'pg'
import type { SecretBox } from '../../security/secret-box'
import { sealedCell } from './sealed-secrets-repository'

export interface ConnectionCredentialsUpdate {
  name: string
  transport: 'soap' | 'rest'
  zoneUrl: string | null
  apiUsername: string
  /** Left as stored when undefined (the console never receives secrets back). */
  secret?: string
  integrationCode?: string
}

/** The admin console's writes to Autotask connections that the engine's tenants repository does not make. */
export function createAdminConnectionsRepository(pool: Pool, box: SecretBox) {
  return {
    async nameTaken(accountId: number, name: string, exceptId: number | null): Promise<boolean> {
      const { rows } = await pool.query(
        'SELECT 1 FROM autotask_connections WHERE zendesk_account_id = $1 AND lower(name) = lower($2) AND removed_at IS NULL AND id IS DISTINCT FROM $3',
        [accountId, name.trim(), exceptId],
      )
      return rows.length > 0
    },

    async update(connectionId: number, update: ConnectionCredentialsUpdate): Promise<void> {
      await pool.query(
        `UPDATE autotask_connections SET name = $2, transport = $3, zone_url = $4, api_username = $5,
                secret_enc = coalesce($6, secret_enc), integration_code_enc = coalesce($7, integration_code_enc), updated_at = now()
          WHERE id = $1`,
        [
          connectionId,
          update.name.trim(),
          update.transport,
          update.zoneUrl,
          update.apiUsername.trim(),
          update.secret === undefined ? null : box.seal(update.secret, sealedCell('autotask_connections', 'secret_enc', connectionId)),
          update.integrationCode === undefined
            ? null
            : box.seal(update.integrationCode, sealedCell('autotask_connections', 'integration_code_enc', connectionId)),
        ],
      )
    },

    /** Removed connections stop syncing; their links and ledger stay as history. */
    async remove(connectionId: number): Promise<void> {
      await pool.query('UPDATE autotask_connections SET removed_at = now(), paused = true, updated_at = now() WHERE id = $1', [connectionId])
    },
  }
}

export type AdminConnectionsRepository = ReturnType<typeof createAdminConnectionsRepository>
