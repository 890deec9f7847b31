import type PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { BackfillDryRunRepository } from '../db/repositories/backfill-dry-run-repository'
import type { SyncContextFactory } from '../plugins/sync-engine/context-factory'
import { estimateBackfill } from '../sync/run-backfill'

export const BACKFILL_DRY_RUN_QUEUE = 'backfill-dry-run'

interface DryRunJob {
  accountId: number
  dryRunId: number
}

/**
 * The backfill dry run as a job (issue 17): counting 100,000 tickets takes a hundred export pages,
 * far longer than an HTTP request should stay open. The job saves its progress after every page;
 * the console polls the row.
 */
export async function registerBackfillDryRuns(
  boss: PgBoss,
  options: { repository: BackfillDryRunRepository; contexts: SyncContextFactory; log: FastifyBaseLogger },
): Promise<{ start(input: { accountId: number; adminUserId: number | null; startAt: Date; includeSolved: boolean }): Promise<number> }> {
  const { repository, contexts } = options
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name))
  // No retries: a failed count is shown with its reason and the admin counts again.
  if (!existing.has(BACKFILL_DRY_RUN_QUEUE))
    await boss.createQueue(BACKFILL_DRY_RUN_QUEUE, { name: BACKFILL_DRY_RUN_QUEUE, policy: 'standard', retryLimit: 0, expireInSeconds: 3600 })

  await boss.work<DryRunJob>(BACKFILL_DRY_RUN_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    if (!job) return
    const { accountId, dryRunId } = job.data
    const dryRun = await repository.get(accountId, dryRunId)
    if (!dryRun || dryRun.state === 'succeeded' || dryRun.state === 'failed') return
    try {
      const context = await contexts.forAccount(accountId)
      const { result, requests } = await contexts.measure(() =>
        estimateBackfill(
          context,
          { startAt: dryRun.startAt, includeSolved: dryRun.includeSolved },
          { onProgress: (progress) => repository.saveProgress(dryRunId, progress) },
        ),
      )
      await repository.finish(dryRunId, { result: { ...result, dryRunRequests: { autotask: requests.autotask, zendesk: requests.zendesk } } })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      options.log.warn({ err: error, accountId, dryRunId }, 'backfill dry run failed')
      await repository.finish(dryRunId, { error: message })
    }
  })

  return {
    async start(input) {
      const dryRunId = await repository.create(input)
      await boss.send(BACKFILL_DRY_RUN_QUEUE, { accountId: input.accountId, dryRunId } satisfies DryRunJob)
      return dryRunId
    },
  }
}
