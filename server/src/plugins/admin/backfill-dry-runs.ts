import fp from 'fastify-plugin'
import { createBackfillDryRunRepository, type BackfillDryRunRepository } from '../../db/repositories/backfill-dry-run-repository'
import { registerBackfillDryRuns } from '../../jobs/backfill-dry-runs'

declare module 'fastify' {
  interface FastifyInstance {
    /** Backfill dry runs: run as jobs, polled by the console. */
    dryRuns: BackfillDryRunRepository
    /** Queues a dry run and returns its id at once. */
    startDryRun(input: { accountId: number; adminUserId: number | null; startAt: Date; includeSolved: boolean }): Promise<number>
  }
}

/** Backfill dry runs: their repository, queue and worker. */
export default fp(
  async (app) => {
    const dryRuns = createBackfillDryRunRepository(app.db.pool)
    const dryRunJobs = await registerBackfillDryRuns(app.jobs, { repository: dryRuns, contexts: app.syncContexts, log: app.log })
    app.decorate('dryRuns', dryRuns)
    app.decorate('startDryRun', (input: Parameters<typeof dryRunJobs.start>[0]) => dryRunJobs.start(input))
  },
  { name: 'backfill-dry-runs', dependencies: ['database', 'jobs', 'sync-contexts'] },
)
