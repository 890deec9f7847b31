import fp from 'fastify-plugin'
import type PgBoss from 'pg-boss'
import { createJobQueue } from '../jobs/job-queue'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: PgBoss
  }
}

export interface JobsPluginOptions {
  /** How long shutdown waits for running jobs to finish. */
  shutdownTimeoutSeconds: number
}

/** Starts pg-boss with the app and stops it gracefully (running jobs finish) before the database closes. */
export default fp<JobsPluginOptions>(
  async (app, { shutdownTimeoutSeconds }) => {
    const boss = createJobQueue(app.db)
    boss.on('error', (error) => app.log.error({ err: error }, 'job queue error'))
    await boss.start()
    app.decorate('jobs', boss)
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, wait: true, timeout: shutdownTimeoutSeconds * 1000 })
    })
  },
  { name: 'jobs', dependencies: ['database'] },
)
