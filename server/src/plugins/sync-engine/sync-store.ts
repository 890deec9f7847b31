import fp from 'fastify-plugin'
import { createSyncStore } from '../../db/sync-store'
import { withReleaseSignals } from '../../jobs/ticket-release-signals'
import type { SyncStore } from '../../sync/ports/sync-store'

declare module 'fastify' {
  interface FastifyInstance {
    /** The engine's store: leases, links, ledger and run bookkeeping. */
    syncStore: SyncStore
  }
}

export default fp(
  async (app) => {
    // Every release of ticket leases is signalled: a Sync now waiting on a cycle's ticket wakes at once.
    app.decorate('syncStore', withReleaseSignals(createSyncStore(app.db.pool), app.signals))
  },
  { name: 'sync-store', dependencies: ['database', 'jobs'] },
)
