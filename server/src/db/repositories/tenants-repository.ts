import type { Pool } from 'pg'
import type { ConnectionSettings, TicketPicklists } from '@psa-link/shared'
import type { SecretBox } from '../../security/secret-box'
import { nextRowId, sealedCell, type SealedColumn } from './sealed-secrets-repository'
import { hasRealAccount } from './real-account'

/** A Zendesk account (the tenant) with its secrets opened. Never sent to a browser or a log. */
export interface ZendeskAccount {
  id: number
  subdomain: string
  baseUrl: string
  /** The sandbox's demo account (emulated Zendesk and Autotask), never a real customer's. */
  sandbox: boolean
  oauth: { clientId: string | null; clientSecret: string | null; accessToken: string | null; refreshToken: string | null; expiresAt: Date | null }
  apiEmail: string | null
  apiToken: string | null
  integrationUserId: number | null
  clusterIdFieldId: number | null
  /** Zendesk-side visibility (on by default) and PSA Link's two ticket fields for it, once created. */
  showLinksInZendesk: boolean
  linkFields: { numberFieldId: number; statusFieldId: number } | null
  appSharedSecret: string | null
  webhookId: string | null
  webhookSecret: string | null
}

export interface AutotaskConnection {
  id: number
  zendeskAccountId: number
  name: string
  transport: 'soap' | 'rest'
  zoneUrl: string | null
  apiUsername: string
  secret: string
  integrationCode: string
  settings: ConnectionSettings
  status: 'untested' | 'ready' | 'failing'
  statusMessage: string | null
  paused: boolean
  picklists: TicketPicklists | null
  picklistsLoadedAt: Date | null
  updatedAt: Date
  /** Changes only when what the Autotask client is built from changes (migration 024's trigger). */
  settingsVersion: number
  /** The Autotask resource PSA Link writes as, once learned. */
  ownResourceId: number | null
}

export interface NewZendeskAccount {
  subdomain: string
  baseUrl: string
  oauthAccessToken?: string
  apiEmail?: string
  apiToken?: string
  clusterIdFieldId?: number
  integrationUserId?: number
  appSharedSecret?: string
  exportStartTime?: number
  /** Only the sandbox marks its demo account. */
  sandbox?: boolean
}

export interface NewAutotaskConnection {
  zendeskAccountId: number
  name: string
  transport?: 'soap' | 'rest'
  zoneUrl?: string
  apiUsername: string
  secret: string
  integrationCode: string
  settings?: ConnectionSettings
}

/** Tenants and their Autotask connections; secrets are sealed on the way in and opened on the way out. */
export function createTenantsRepository(pool: Pool, box: SecretBox) {
  const openAccount = (row: Record<string, unknown>, column: SealedColumn<'zendesk_accounts'>): string | null =>
    row[column] === null ? null : box.open(row[column] as string, sealedCell('zendesk_accounts', column, row.id as number))
  const sealAccount = (id: number, column: SealedColumn<'zendesk_accounts'>, value: string | undefined): string | null =>
    value === undefined ? null : box.seal(value, sealedCell('zendesk_accounts', column, id))

  const toAccount = (row: Record<string, unknown>): ZendeskAccount => ({
    id: row.id as number,
    subdomain: row.subdomain as string,
    baseUrl: row.base_url as string,
    sandbox: row.sandbox as boolean,
    oauth: {
      clientId: row.oauth_client_id as string | null,
      clientSecret: openAccount(row, 'oauth_client_secret_enc'),
      accessToken: openAccount(row, 'oauth_access_token_enc'),
      refreshToken: openAccount(row, 'oauth_refresh_token_enc'),
      expiresAt: row.oauth_expires_at as Date | null,
    },
    apiEmail: row.api_email as string | null,
    apiToken: openAccount(row, 'api_token_enc'),
    integrationUserId: row.integration_user_id as number | null,
    clusterIdFieldId: row.cluster_id_field_id as number | null,
    showLinksInZendesk: row.show_links_in_zendesk !== false,
    linkFields:
      row.autotask_number_field_id != null && row.autotask_status_field_id != null
        ? { numberFieldId: row.autotask_number_field_id as number, statusFieldId: row.autotask_status_field_id as number }
        : null,
    appSharedSecret: openAccount(row, 'app_shared_secret_enc'),
    webhookId: row.webhook_id as string | null,
    webhookSecret: openAccount(row, 'webhook_secret_enc'),
  })

  const toConnection = (row: Record<string, unknown>): AutotaskConnection => ({
    id: row.id as number,
    zendeskAccountId: row.zendesk_account_id as number,
    name: row.name as string,
    transport: row.transport as 'soap' | 'rest',
    zoneUrl: row.zone_url as string | null,
    apiUsername: row.api_username as string,
    secret: box.open(row.secret_enc as string, sealedCell('autotask_connections', 'secret_enc', row.id as number)),
    integrationCode: box.open(row.integration_code_enc as string, sealedCell('autotask_connections', 'integration_code_enc', row.id as number)),
    settings: row.settings as ConnectionSettings,
    status: row.status as AutotaskConnection['status'],
    statusMessage: row.status_message as string | null,
    paused: row.paused as boolean,
    picklists: row.picklists as TicketPicklists | null,
    picklistsLoadedAt: row.picklists_loaded_at as Date | null,
    updatedAt: row.updated_at as Date,
    settingsVersion: Number(row.settings_version),
    ownResourceId: row.own_resource_id === null || row.own_resource_id === undefined ? null : Number(row.own_resource_id),
  })

  return {
    /** Accounts that can be synced: an account just set up has no Zendesk credentials until it is connected. */
    async listAccountIds(): Promise<number[]> {
      const { rows } = await pool.query<{ id: number }>(
        'SELECT id FROM zendesk_accounts WHERE oauth_access_token_enc IS NOT NULL OR (api_email IS NOT NULL AND api_token_enc IS NOT NULL) ORDER BY id',
      )
      return rows.map((row) => row.id)
    },

    async getAccount(id: number): Promise<ZendeskAccount | null> {
      const { rows } = await pool.query('SELECT * FROM zendesk_accounts WHERE id = $1', [id])
      return rows[0] ? toAccount(rows[0]) : null
    },

    async findAccountBySubdomain(subdomain: string): Promise<ZendeskAccount | null> {
      const { rows } = await pool.query('SELECT * FROM zendesk_accounts WHERE subdomain = $1', [subdomain.toLowerCase()])
      return rows[0] ? toAccount(rows[0]) : null
    },

    async createAccount(account: NewZendeskAccount): Promise<number> {
      const id = await nextRowId(pool, 'zendesk_accounts')
      await pool.query(
        `INSERT INTO zendesk_accounts (id, subdomain, base_url, oauth_access_token_enc, api_email, api_token_enc, cluster_id_field_id,
                                       integration_user_id, app_shared_secret_enc, export_start_time, sandbox)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          account.subdomain.toLowerCase(),
          account.baseUrl,
          sealAccount(id, 'oauth_access_token_enc', account.oauthAccessToken),
          account.apiEmail ?? null,
          sealAccount(id, 'api_token_enc', account.apiToken),
          account.clusterIdFieldId ?? null,
          account.integrationUserId ?? null,
          sealAccount(id, 'app_shared_secret_enc', account.appSharedSecret),
          account.exportStartTime ?? null,
          account.sandbox ?? false,
        ],
      )
      return id
    },

    async saveOAuthTokens(accountId: number, tokens: { accessToken: string; refreshToken: string | null; expiresAt: Date | null }): Promise<void> {
      await pool.query(
        `UPDATE zendesk_accounts SET oauth_access_token_enc = $2, oauth_refresh_token_enc = $3, oauth_expires_at = $4, updated_at = now() WHERE id = $1`,
        [
          accountId,
          sealAccount(accountId, 'oauth_access_token_enc', tokens.accessToken),
          sealAccount(accountId, 'oauth_refresh_token_enc', tokens.refreshToken ?? undefined),
          tokens.expiresAt,
        ],
      )
    },

    /** Whether any account other than the sandbox's demo account exists. */
    hasRealAccount: (): Promise<boolean> => hasRealAccount(pool),

    /**
     * Removes the sandbox's demo account with everything it owns (connections, links, ledger, admins,
     * secrets: all cascade from the account), for a backend that no longer mounts the emulators.
     */
    async removeSandboxAccounts(): Promise<number> {
      const { rowCount } = await pool.query('DELETE FROM zendesk_accounts WHERE sandbox')
      return rowCount ?? 0
    },

    /** The sandbox's emulators move with the backend's port: keep the stored URLs pointing at them. */
    /** PSA Link's own Zendesk ticket fields for the linked Autotask ticket's number and status. */
    async saveLinkFields(accountId: number, fields: { numberFieldId: number; statusFieldId: number }): Promise<void> {
      await pool.query(
        `UPDATE zendesk_accounts SET autotask_number_field_id = $2, autotask_status_field_id = $3, updated_at = now()
          WHERE id = $1 AND (autotask_number_field_id IS DISTINCT FROM $2 OR autotask_status_field_id IS DISTINCT FROM $3)`,
        [accountId, fields.numberFieldId, fields.statusFieldId],
      )
    },

    async setSandboxUrls(accountId: number, zendeskUrl: string, autotaskZoneUrl: string): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET base_url = $2 WHERE id = $1 AND base_url IS DISTINCT FROM $2', [accountId, zendeskUrl])
      await pool.query(
        'UPDATE autotask_connections SET zone_url = $2, updated_at = now() WHERE zendesk_account_id = $1 AND zone_url IS DISTINCT FROM $2 AND zone_url LIKE $3',
        [accountId, autotaskZoneUrl, '%/sandbox/autotask/%'],
      )
    },

    async saveIntegrationUser(accountId: number, userId: number): Promise<void> {
      await pool.query('UPDATE zendesk_accounts SET integration_user_id = $2, updated_at = now() WHERE id = $1', [accountId, userId])
    },

    async listConnections(accountId: number): Promise<AutotaskConnection[]> {
      const { rows } = await pool.query('SELECT * FROM autotask_connections WHERE zendesk_account_id = $1 AND removed_at IS NULL ORDER BY id', [accountId])
      return rows.map(toConnection)
    },

    async createConnection(connection: NewAutotaskConnection): Promise<number> {
      const id = await nextRowId(pool, 'autotask_connections')
      await pool.query(
        `INSERT INTO autotask_connections (id, zendesk_account_id, name, transport, zone_url, api_username, secret_enc, integration_code_enc, settings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          connection.zendeskAccountId,
          connection.name,
          connection.transport ?? 'rest',
          connection.zoneUrl ?? null,
          connection.apiUsername,
          box.seal(connection.secret, sealedCell('autotask_connections', 'secret_enc', id)),
          box.seal(connection.integrationCode, sealedCell('autotask_connections', 'integration_code_enc', id)),
          JSON.stringify(connection.settings ?? {}),
        ],
      )
      return id
    },

    async setConnectionStatus(connectionId: number, status: AutotaskConnection['status'], message: string | null): Promise<void> {
      await pool.query('UPDATE autotask_connections SET status = $2, status_message = $3 WHERE id = $1', [connectionId, status, message])
    },

    /**
     * Autotask moved the connection's tenant to another zone and the client followed: keep the new
     * zone, and tell the admin in the connection's status. The new zone bumps the settings version
     * (migration 024), so the next cycle builds its gateway on the stored zone once.
     */
    async saveMovedZone(connectionId: number, zoneUrl: string, message: string): Promise<void> {
      await pool.query('UPDATE autotask_connections SET zone_url = $2, status_message = $3 WHERE id = $1', [connectionId, zoneUrl, message])
    },

    async setConnectionPaused(connectionId: number, paused: boolean): Promise<void> {
      await pool.query('UPDATE autotask_connections SET paused = $2, updated_at = now() WHERE id = $1', [connectionId, paused])
    },

    async saveConnectionSettings(connectionId: number, settings: ConnectionSettings): Promise<void> {
      await pool.query('UPDATE autotask_connections SET settings = $2, updated_at = now() WHERE id = $1', [connectionId, JSON.stringify(settings)])
    },

    /** Kept once learned; a change of API user clears it (migration 024's trigger). */
    async saveOwnResourceId(connectionId: number, resourceId: number): Promise<void> {
      await pool.query('UPDATE autotask_connections SET own_resource_id = $2 WHERE id = $1 AND own_resource_id IS DISTINCT FROM $2', [connectionId, resourceId])
    },

    async savePicklists(connectionId: number, picklists: TicketPicklists): Promise<void> {
      await pool.query('UPDATE autotask_connections SET picklists = $2, picklists_loaded_at = now() WHERE id = $1', [connectionId, JSON.stringify(picklists)])
    },
  }
}

export type TenantsRepository = ReturnType<typeof createTenantsRepository>
