import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { closeInterruptedRuns, RUN_SILENT_SECONDS } from '../../db/repositories/run-liveness'
import { pruneRunHistory } from '../../db/repositories/run-retention'

const RUN_PRUNE_INTERVAL_MS = 3600_000
const INTERRUPTED_SWEEP_INTERVAL_MS = 60_000

export interface RunHousekeepingPluginOptions {
  config: Pick<Config, 'SYNC_RUN_RETENTION_DAYS'>
}

/** Old run history pruned hourly; runs whose backend died closed as interrupted. Every instance may do both. */
export default fp<RunHousekeepingPluginOptions>(
  async (app, { config }) => {
    // Deleting twice costs nothing.
    const pruneRuns = () =>
      void pruneRunHistory(app.db.pool, config.SYNC_RUN_RETENTION_DAYS)
        .then((removed) => (removed > 0 ? app.log.info({ removed }, 'old run history pruned') : undefined))
        .catch((error: unknown) => app.log.warn({ err: error }, 'could not prune run history'))
    const pruning = setInterval(pruneRuns, RUN_PRUNE_INTERVAL_MS)
    pruning.unref()
    app.addHook('onClose', async () => clearInterval(pruning))
    // Runs whose backend died are closed as interrupted within a few minutes.
    const closeInterrupted = () =>
      void closeInterruptedRuns(app.db.pool, RUN_SILENT_SECONDS)
        .then((closed) => (closed > 0 ? app.log.warn({ closed }, 'runs of a stopped backend closed as interrupted') : undefined))
        .catch((error: unknown) => app.log.warn({ err: error }, 'could not close interrupted runs'))
    const interruptedSweep = setInterval(closeInterrupted, INTERRUPTED_SWEEP_INTERVAL_MS)
    interruptedSweep.unref()
    app.addHook('onClose', async () => clearInterval(interruptedSweep))
  },
  { name: 'run-housekeeping', dependencies: ['database'] },
)
