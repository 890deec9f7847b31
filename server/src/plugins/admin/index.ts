import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { adminAudit, adminConnections, adminMonitor, adminNeedsAction, adminSessions, adminUsers, adminZendeskSettings } from './admin-repositories'
import autotaskCredentialTest from './autotask-credential-test'
import backfillDryRuns from './backfill-dry-runs'
import backfillQueue from './backfill-queue'
import backfills from './backfills'
import zendeskClients, { configuredOAuthClient } from './zendesk-clients'

export interface AdminPluginsOptions {
  config: Config
  /** Zone URL prefixes accepted besides Autotask's own hosts and the sandbox's emulator (tests only). */
  extraAutotaskZonePrefixes?: readonly string[]
}

/** The admin console's services, each a named plugin: its repositories, the Autotask credential test, Zendesk clients and OAuth, and backfills. */
export default fp<AdminPluginsOptions>(
  async (app, { config, extraAutotaskZonePrefixes }) => {
    for (const repository of [adminUsers, adminSessions, adminAudit, adminMonitor, adminNeedsAction, adminConnections, adminZendeskSettings])
      await app.register(repository)
    await app.register(autotaskCredentialTest, extraAutotaskZonePrefixes ? { extraAutotaskZonePrefixes } : {})
    await app.register(zendeskClients, { oauthClient: configuredOAuthClient(config) })
    await app.register(backfills)
    await app.register(backfillQueue, { config })
    await app.register(backfillDryRuns)
  },
  { name: 'admin-plugins', dependencies: ['database', 'jobs', 'secrets', 'tenants', 'autotask-budget', 'sync-contexts'] },
)
