import type { Database } from '../../server/src/db/database'
import { migrate } from '../../server/src/db/migrate'
import { createTenantsRepository } from '../../server/src/db/repositories/tenants-repository'
import { createSecretBox } from '../../server/src/security/secret-box'
import type { RemoteSandbox } from './remote-sandbox'

export const TEST_SECRET_KEY = 'c'.repeat(64)

/** Records the sandbox tenant for a backend in another process, pointing at a remote sandbox. */
export async function recordRemoteTenant(
  database: Database,
  sandbox: RemoteSandbox,
): Promise<{ accountId: number; connectionId: number; integrationUserId: number }> {
  await migrate(database.pool)
  const tenants = createTenantsRepository(database.pool, createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex')))
  const fields = await sandbox.zendesk<{ ticket_fields: { id: number; title: string }[] }>('GET', '/api/v2/ticket_fields.json')
  const me = await sandbox.zendesk<{ user: { id: number } }>('GET', '/api/v2/users/me.json')
  const accountId = await tenants.createAccount({
    subdomain: 'demo',
    baseUrl: `${sandbox.origin}/sandbox/zendesk`,
    oauthAccessToken: 'sandbox-oauth-token',
    clusterIdFieldId: fields.ticket_fields.find((field) => field.title === 'Cluster ID')!.id,
    integrationUserId: me.user.id,
    appSharedSecret: 'sandbox-app-shared-secret',
    exportStartTime: 0,
  })
  const connectionId = await tenants.createConnection({
    zendeskAccountId: accountId,
    name: 'Sandbox Autotask',
    transport: 'soap',
    zoneUrl: `${sandbox.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`,
    apiUsername: 'api@demo.test',
    secret: 'sandbox-secret',
    integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
  })
  return { accountId, connectionId, integrationUserId: me.user.id }
}

/** Environment for a backend process (`npm start`) on `database` with the sandbox elsewhere. */
export function backendEnv(database: Database, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    DATABASE_URL: database.url,
    SANDBOX: 'off',
    PORT: '0',
    // info: the launcher says "is running at" at that level.
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    PSA_LINK_SECRET_KEY: TEST_SECRET_KEY,
    SYNC_INTERVAL_SECONDS: '10',
    SYNC_LEASE_SECONDS: '4',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    ...extra,
  }
}
