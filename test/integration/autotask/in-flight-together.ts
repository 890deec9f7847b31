import type { AutotaskEmulator } from '../../../server/sandbox/src/autotask/index'
import { until } from '../../helpers/until'

/**
 * Starts `requests` against an emulator that holds every admitted request in its thread slot, waits
 * until each one is either held there or refused by the thread threshold, and only then lets the
 * held ones finish: "these requests were in flight together" by construction, not because a latency
 * window was long enough on a loaded machine.
 */
export async function inFlightTogether<T>(emulator: AutotaskEmulator, requests: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  const refusedBefore = emulator.counters().rejected.threadThreshold ?? 0
  const hold = emulator.holdRequests()
  let outcomes: Promise<PromiseSettledResult<T>[]> | undefined
  try {
    const started = requests()
    outcomes = Promise.allSettled(started)
    const arrived = () => hold.waiting() + (emulator.counters().rejected.threadThreshold ?? 0) - refusedBefore
    await until(arrived, (count) => count >= started.length, `${started.length} requests held or refused by the emulator`)
  } finally {
    hold.release()
  }
  return outcomes
}
