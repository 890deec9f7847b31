import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { RUN_PROGRESS_INTERVAL_MS } from '../../db/repositories/run-liveness'
import { createStagedCommentsRepository } from '../../db/repositories/staged-comments-repository'
import { queueTopic } from '../../jobs/ticket-sync-requests'
import { runBackfill } from '../../sync/run-backfill'

export const BACKFILL_QUEUE = 'backfill'

declare module 'fastify' {
  interface FastifyInstance {
    /** Queues the backfill's next job, now or at `startAfter` (replacing a job already deferred). */
    enqueueBackfill(accountId: number, backfillId: number, startAfter?: Date): Promise<void>
  }
}

export interface BackfillQueuePluginOptions {
  config: Pick<Config, 'SYNC_INTERVAL_SECONDS' | 'JOB_POLLING_SECONDS'>
}

interface BackfillJob {
  accountId: number
  backfillId: number
}

/** The backfill queue and its worker: run-backfill over the engine's account contexts. */
export default fp<BackfillQueuePluginOptions>(
  async (app, { config }) => {
    const { backfills, syncContexts: contexts } = app
    const commentStaging = createStagedCommentsRepository(app.db.pool)
    const existing = new Set((await app.jobs.getQueues()).map((queue) => queue.name))
    if (!existing.has(BACKFILL_QUEUE)) {
      // Stately: at most one queued and one running backfill job per account.
      await app.jobs.createQueue(BACKFILL_QUEUE, {
        name: BACKFILL_QUEUE,
        policy: 'stately',
        retryLimit: 3,
        retryDelay: 60,
        retryBackoff: true,
        expireInSeconds: 6 * 3600,
      })
    }

    async function enqueueBackfill(accountId: number, backfillId: number, startAfter?: Date): Promise<void> {
      const deferred = await backfills.takeDeferredJob(backfillId)
      if (deferred) await app.jobs.cancel(BACKFILL_QUEUE, deferred)
      const jobId = await app.jobs.send(BACKFILL_QUEUE, { accountId, backfillId } satisfies BackfillJob, {
        singletonKey: `account:${accountId}`,
        ...(startAfter ? { startAfter } : {}),
      })
      if (startAfter && jobId) await backfills.saveDeferredJob(backfillId, jobId)
      // An admin's start is picked up now, not at the next poll (by this instance or another).
      else if (jobId) await app.signals.publish(queueTopic(BACKFILL_QUEUE)).catch(() => undefined)
    }

    const worker = await app.jobs.work<BackfillJob>(BACKFILL_QUEUE, { pollingIntervalSeconds: config.JOB_POLLING_SECONDS }, async ([job]) => {
      if (!job) return
      const { accountId, backfillId } = job.data
      const context = await contexts.forAccount(accountId)
      const runId = await context.store.startRun({ accountId, connectionId: null, kind: 'backfill', trigger: `backfill:${backfillId}` })
      // Progress doubles as the run's sign of life (run-liveness.ts closes silent runs as interrupted).
      const alive = setInterval(() => void context.store.updateRunProgress(runId, { ...context.counts }).catch(() => undefined), RUN_PROGRESS_INTERVAL_MS)
      alive.unref()
      try {
        const { result, requests } = await contexts.measure(() =>
          runBackfill(context, backfills.store, backfillId, { intervalSeconds: config.SYNC_INTERVAL_SECONDS, commentStaging }),
        )
        await backfills.addRequests(backfillId, requests.autotask)
        await context.store.finishRun(runId, {
          status: result.state === 'failed' ? 'failed' : 'succeeded',
          counts: context.counts,
          apiUsage: { ...requests },
          error: result.state === 'failed' ? result.error : null,
        })
        // The backfill stays 'waiting_budget' (with its reason) until the job sent for later picks it up.
        if (result.state === 'waiting_budget') await enqueueBackfill(accountId, backfillId, result.resumeAt)
      } catch (error) {
        await context.store.finishRun(runId, {
          status: 'failed',
          counts: context.counts,
          apiUsage: {},
          error: error instanceof Error ? error.message : String(error),
        })
        throw error
      } finally {
        clearInterval(alive)
      }
    })

    app.signals.on(queueTopic(BACKFILL_QUEUE), () => app.jobs.notifyWorker(worker))

    app.decorate('enqueueBackfill', enqueueBackfill)
  },
  { name: 'backfill-queue', dependencies: ['jobs', 'backfills', 'sync-contexts'] },
)
