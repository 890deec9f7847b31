import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { startCycleScheduler } from '../../jobs/cycle-scheduler'
import { SYNC_CYCLE_QUEUE } from '../../jobs/sync-queues'
import { queueTopic } from '../../jobs/ticket-sync-requests'

export interface CycleScheduler {
  /** Asks for a cycle of every account now (joins one already waiting). */
  requestNow(): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    cycleScheduler: CycleScheduler
  }
}

export interface CycleSchedulerPluginOptions {
  config: Config
  /** Run the scheduled cycles in this process (off in tests that drive cycles themselves). */
  schedule: boolean
}

/** Every account's sync cycle, each SYNC_INTERVAL_SECONDS, where the workers run. */
export default fp<CycleSchedulerPluginOptions>(
  async (app, { config, schedule }) => {
    const scheduler = startCycleScheduler(app.jobs, {
      intervalSeconds: config.SYNC_INTERVAL_SECONDS,
      listAccountIds: () => app.tenants.listAccountIds(),
      onError: (error) => app.log.error({ err: error }, 'could not schedule sync cycles'),
      enabled: schedule && config.PSA_LINK_ROLE !== 'api',
      wake: () => app.signals.publish(queueTopic(SYNC_CYCLE_QUEUE)),
    })
    app.addHook('onClose', async () => scheduler.stop())
    app.decorate('cycleScheduler', { requestNow: () => scheduler.requestNow() } satisfies CycleScheduler)
  },
  { name: 'cycle-scheduler', dependencies: ['jobs', 'tenants', 'ticket-sync'] },
)
