/**
 * A request's own service time in an emulator: the time its handler runs, less every wait it
 * sits through (the injected latency, the test latch, a body still arriving). The emulator is one
 * Node thread, so what is left is time this request had the thread — another request's work never
 * runs inside it, and the benchmark can set it against the calls' minimum without counting any
 * twice (test/bench/floors.ts). Two readings of the same stretches: the wall clock, which on a busy
 * machine also counts time the operating system gave other processes, and the process's CPU time,
 * which does not (the benchmark's service floor uses the CPU time, so a loaded machine cannot
 * raise it).
 */
export interface ServiceClock {
  /** Awaits `pending`, leaving the time it takes out of the service time. */
  wait<T>(pending: Promise<T>): Promise<T>
  /** Stops counting until `resume()` (a wait that spans hooks). */
  pause(): void
  resume(): void
  /** Service time so far by the wall clock, in milliseconds. */
  serviceMs(): number
  /** The process's CPU time in the same stretches, in milliseconds. */
  cpuMs(): number
}

export interface ClockSources {
  /** Nanoseconds of a monotonic wall clock. */
  wallNs: () => bigint
  /** Microseconds of CPU the process has used (user and system). */
  cpuUs: () => number
}

const processSources: ClockSources = {
  wallNs: process.hrtime.bigint,
  cpuUs: () => {
    const usage = process.cpuUsage()
    return usage.user + usage.system
  },
}

export function startServiceClock(sources: ClockSources = processSources): ServiceClock {
  let servedNs = 0n
  let servedCpuUs = 0
  let running: { wallNs: bigint; cpuUs: number } | null = { wallNs: sources.wallNs(), cpuUs: sources.cpuUs() }
  const pause = () => {
    if (running === null) return
    servedNs += sources.wallNs() - running.wallNs
    servedCpuUs += sources.cpuUs() - running.cpuUs
    running = null
  }
  const resume = () => {
    running ??= { wallNs: sources.wallNs(), cpuUs: sources.cpuUs() }
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
    serviceMs: () => Number(servedNs + (running === null ? 0n : sources.wallNs() - running.wallNs)) / 1e6,
    cpuMs: () => (servedCpuUs + (running === null ? 0 : sources.cpuUs() - running.cpuUs)) / 1000,
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
