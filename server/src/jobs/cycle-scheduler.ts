import type PgBoss from 'pg-boss'
import { SYNC_CYCLE_QUEUE, cycleKey, type SyncCycleJob } from './sync-queues'

export interface CycleSchedulerOptions {
  intervalSeconds: number
  listAccountIds(): Promise<number[]>
  onError(error: unknown): void
  /** When false, cycles run only when asked for (tests drive them). */
  enabled?: boolean
  /** Wakes the cycle workers (every instance's) once jobs are queued, instead of their next poll. */
  wake?: () => Promise<void>
}

export interface CycleScheduler {
  stop(): void
  /** The schedule's own tick: at most one scheduled cycle per account per interval, whatever the instances. */
  tick(): Promise<void>
  /** A cycle now for every account (a resumed connection, a fresh sandbox): joins one already waiting. */
  requestNow(): Promise<void>
}

/**
 * pg-boss refuses throttling slots longer than its archive interval (12 hours by default); a
 * schedule that slow is throttled by the hour instead, which still merges instances' ticks.
 */
const MAX_THROTTLE_SECONDS = 12 * 3600

/**
 * Every interval, asks for one cycle per Zendesk account. Every backend instance runs this timer:
 * the scheduled jobs are throttled per account and time slot in pg-boss's table (`singletonSeconds`),
 * so N instances still start one cycle per account and interval; the queue holds at most one
 * waiting cycle per account and the cycle lease lets one run at a time.
 */
export function startCycleScheduler(boss: PgBoss, options: CycleSchedulerOptions): CycleScheduler {
  const send = async (trigger: string, throttled: boolean) => {
    for (const accountId of await options.listAccountIds()) {
      const job: SyncCycleJob = { accountId, trigger }
      await boss.send(SYNC_CYCLE_QUEUE, job, {
        singletonKey: cycleKey(accountId),
        ...(throttled ? { singletonSeconds: Math.min(options.intervalSeconds, MAX_THROTTLE_SECONDS) } : {}),
      })
    }
    await options.wake?.()
  }
  const tick = async () => {
    try {
      await send('schedule', true)
    } catch (error) {
      options.onError(error)
    }
  }
  const requestNow = () => send('request', false)
  if (options.enabled === false) return { stop: () => undefined, tick, requestNow }
  const timer = setInterval(() => void tick(), options.intervalSeconds * 1000)
  timer.unref()
  void tick()
  return { stop: () => clearInterval(timer), tick, requestNow }
}
