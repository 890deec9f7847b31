/** Thrown at once, without waiting, when the queue of a WorkLimiter is full. */
export class WorkQueueFull extends Error {
  constructor() {
    super('Too much of this work is already waiting.')
    this.name = 'WorkQueueFull'
  }
}

export interface WorkLimiterStats {
  running: number
  queued: number
  /** The most that ever ran at once. */
  peakRunning: number
  /** How many were refused because the queue was full. */
  refused: number
}

export interface WorkLimiter {
  run<T>(work: () => Promise<T>): Promise<T>
  stats(): WorkLimiterStats
}

/**
 * A semaphore for costly work: at most `concurrency` at once, the next `maxQueued` waiting in
 * arrival order, anything beyond refused with WorkQueueFull. Password hashing goes through one:
 * each scrypt takes 32 MiB and one of libuv's four threads (shared with file reads and DNS), so a
 * flood of sign-ins must wait or be refused rather than starve the rest of the server.
 */
export function createWorkLimiter(options: { concurrency: number; maxQueued: number }): WorkLimiter {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error('concurrency must be a whole number of at least 1')
  if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) throw new Error('maxQueued must be a whole number of at least 0')
  const waiting: Array<() => void> = []
  let running = 0
  let peakRunning = 0
  let refused = 0

  function release(): void {
    const next = waiting.shift()
    if (next) next()
    else running -= 1
  }

  async function acquire(): Promise<void> {
    if (running < options.concurrency) {
      running += 1
      peakRunning = Math.max(peakRunning, running)
      return
    }
    if (waiting.length >= options.maxQueued) {
      refused += 1
      throw new WorkQueueFull()
    }
    // The slot passes straight from the finishing work to the next waiting one: `running` stays.
    await new Promise<void>((resolve) => waiting.push(resolve))
  }

  return {
    async run(work) {
      await acquire()
      try {
        return await work()
      } finally {
        release()
      }
    },
    stats: () => ({ running, queued: waiting.length, peakRunning, refused }),
  }
}
