import fp from 'fastify-plugin'
import type PgBoss from 'pg-boss'
import { createJobQueue } from '../jobs/job-queue'
import { ensureOpenJobIndex } from '../jobs/open-job-index'
import { createSignals, type Signals } from '../jobs/signals'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: PgBoss
    /** Wake-ups between workers, waiting requests and instances (jobs/signals.ts). */
    signals: Signals
  }
}

export interface JobsPluginOptions {
  /** How long shutdown waits for running jobs to finish. */
  shutdownTimeoutSeconds: number
}

/**
 * Starts pg-boss and the process's signal listener with the app and stops them gracefully (running
 * jobs finish) before the database closes. The listener is one connection of its own on PostgreSQL;
 * on the embedded database (one process) signals stay in the process.
 */
export default fp<JobsPluginOptions>(
  async (app, { shutdownTimeoutSeconds }) => {
    const boss = createJobQueue(app.db)
    boss.on('error', (error) => app.log.error({ err: error }, 'job queue error'))
    await boss.start()
    await ensureOpenJobIndex(app.db.pool)
    const signals = createSignals({ pool: app.db.pool, listenUrl: app.db.kind === 'postgres' ? app.db.url : null, log: app.log })
    await signals.start()
    app.decorate('jobs', boss)
    app.decorate('signals', signals)
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, wait: true, timeout: shutdownTimeoutSeconds * 1000 })
      await signals.close()
    })
  },
  { name: 'jobs', dependencies: ['database'] },
)
