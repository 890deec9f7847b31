import type PgBoss from 'pg-boss'
import { SYNC_CYCLE_QUEUE, cycleKey, type SyncCycleJob } from './sync-queues'

export interface CycleSchedulerOptions {
  intervalSeconds: number
  listAccountIds(): Promise<number[]>
  onError(error: unknown): void
  /** When false, cycles run only when asked for (tests drive them). */
  enabled?: boolean
}

/**
 * Every interval, asks for one cycle per Zendesk account. The queue holds at most one waiting
 * cycle per account and the cycle lease lets one run at a time, so a cycle that overruns delays
 * the next instead of overlapping it, and any number of backend instances can run this timer.
 */
export function startCycleScheduler(boss: PgBoss, options: CycleSchedulerOptions): { stop(): void; tick(): Promise<void> } {
  const tick = async () => {
    try {
      for (const accountId of await options.listAccountIds()) {
        const job: SyncCycleJob = { accountId, trigger: 'schedule' }
        await boss.send(SYNC_CYCLE_QUEUE, job, { singletonKey: cycleKey(accountId) })
      }
    } catch (error) {
      options.onError(error)
    }
  }
  if (options.enabled === false) return { stop: () => undefined, tick }
  const timer = setInterval(() => void tick(), options.intervalSeconds * 1000)
  timer.unref()
  void tick()
  return { stop: () => clearInterval(timer), tick }
}
