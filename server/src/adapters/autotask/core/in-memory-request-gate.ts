import { IntegrationError } from '../../../errors/integration-error'
import type { AutotaskRequestGate, AutotaskRequestUsage } from './autotask-request-gate'

export interface InMemoryRequestGateOptions {
  maxInFlightPerEntity?: number
  hourlyLimit: number
  now?: () => number
}

const hourMs = 60 * 60 * 1000

export interface InMemoryRequestGate extends AutotaskRequestGate {
  usage(): AutotaskRequestUsage
  inFlight(entity: string): number
}

/** A gate for one process: waiting callers queue per entity in arrival order. */
export function createInMemoryRequestGate({ maxInFlightPerEntity = 3, hourlyLimit, now = Date.now }: InMemoryRequestGateOptions): InMemoryRequestGate {
  const running = new Map<string, number>()
  const waiting = new Map<string, Array<() => void>>()
  let charged: number[] = []

  function requestsLastHour(): number {
    const cutoff = now() - hourMs
    charged = charged.filter((time) => time > cutoff)
    return charged.length
  }

  async function acquire(entity: string): Promise<void> {
    const busy = running.get(entity) ?? 0
    if (busy < maxInFlightPerEntity) {
      running.set(entity, busy + 1)
      return
    }
    await new Promise<void>((resolve) => {
      const queue = waiting.get(entity) ?? []
      queue.push(resolve)
      waiting.set(entity, queue)
    })
  }

  function release(entity: string): void {
    const next = waiting.get(entity)?.shift()
    if (next) next()
    else running.set(entity, (running.get(entity) ?? 1) - 1)
  }

  return {
    async run<T>(entity: string, work: () => Promise<T>): Promise<T> {
      const key = entity.toLowerCase()
      await acquire(key)
      try {
        if (requestsLastHour() >= hourlyLimit) {
          const oldest = charged[0] ?? now()
          throw new IntegrationError({
            system: 'autotask',
            code: 'hourly_threshold',
            retryable: true,
            remoteMessage: `PSA Link's share of the Autotask hourly request budget (${hourlyLimit} per rolling hour) is spent.`,
            retryAfterSeconds: Math.max(1, Math.ceil((oldest + hourMs - now()) / 1000)),
          })
        }
        charged.push(now())
        return await work()
      } finally {
        release(key)
      }
    },
    usage: () => ({ requestsLastHour: requestsLastHour(), limit: hourlyLimit }),
    inFlight: (entity) => running.get(entity.toLowerCase()) ?? 0,
  }
}
