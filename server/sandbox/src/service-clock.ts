/**
 * A request's own service time in an emulator: the time its handler runs, less every wait it
 * sits through (the injected latency, the test latch, a body still arriving). The emulator is one
 * Node thread, so what is left is time this request had the thread — another request's work never
 * runs inside it, and the benchmark can set it against the calls' minimum without counting any
 * twice (test/bench/floors.ts).
 */
export interface ServiceClock {
  /** Awaits `pending`, leaving the time it takes out of the service time. */
  wait<T>(pending: Promise<T>): Promise<T>
  /** Stops counting until `resume()` (a wait that spans hooks). */
  pause(): void
  resume(): void
  /** Service time so far, in milliseconds. */
  serviceMs(): number
}

export function startServiceClock(now: () => bigint = process.hrtime.bigint): ServiceClock {
  let servedNs = 0n
  let runningSince: bigint | null = now()
  const pause = () => {
    if (runningSince === null) return
    servedNs += now() - runningSince
    runningSince = null
  }
  const resume = () => {
    runningSince ??= now()
  }
  return {
    async wait(pending) {
      pause()
      try {
        return await pending
      } finally {
        resume()
      }
    },
    pause,
    resume,
    serviceMs: () => Number(servedNs + (runningSince === null ? 0n : now() - runningSince)) / 1e6,
  }
}

const requestClocks = new WeakMap<object, ServiceClock>()

/** Starts the clock of an HTTP request whose service spans several hooks. */
export function startRequestClock(request: object): ServiceClock {
  const clock = startServiceClock()
  requestClocks.set(request, clock)
  return clock
}

/** The clock `startRequestClock` gave this request, if any. */
export const requestClock = (request: object): ServiceClock | undefined => requestClocks.get(request)

/** Awaits `pending` outside the request's service time (a request without a clock just waits). */
export const waitOutsideService = <T>(request: object, pending: Promise<T>): Promise<T> => requestClock(request)?.wait(pending) ?? pending
