import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { createSyncContextFactory, type SyncContextFactory } from './context-factory'

declare module 'fastify' {
  interface FastifyInstance {
    /** Builds (and caches) the engine's context of one Zendesk account. */
    syncContexts: SyncContextFactory
  }
}

export interface SyncContextsPluginOptions {
  config: Config
}

export default fp<SyncContextsPluginOptions>(
  async (app, { config }) => {
    app.decorate(
      'syncContexts',
      createSyncContextFactory({
        signals: app.signals,
        pool: app.db.pool,
        tenants: app.tenants,
        store: app.syncStore,
        budgetShare: config.AUTOTASK_BUDGET_SHARE,
        leaseSeconds: config.SYNC_LEASE_SECONDS,
        log: app.log,
      }),
    )
  },
  { name: 'sync-contexts', dependencies: ['database', 'jobs', 'tenants', 'sync-store'] },
)
