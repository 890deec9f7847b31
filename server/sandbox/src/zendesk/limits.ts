import { tooManyRequests } from './errors'

/**
 * Zendesk's rate limits (developer.zendesk.com/api-reference/introduction/rate-limits): an account
 * budget per minute (Enterprise 700), Update Ticket 100/min per account, 30 updates per 10 minutes
 * per user per ticket, incremental exports 10/min. Each answers 429 with Retry-After.
 */
export interface ZendeskLimits {
  accountRequestsPerMinute: number
  ticketUpdatesPerMinute: number
  updatesPerTicketPerUser: number
  updatesPerTicketWindowSeconds: number
  incrementalExportsPerMinute: number
}

export const DEFAULT_LIMITS: ZendeskLimits = {
  accountRequestsPerMinute: 700,
  ticketUpdatesPerMinute: 100,
  updatesPerTicketPerUser: 30,
  updatesPerTicketWindowSeconds: 600,
  incrementalExportsPerMinute: 10,
}

export interface ZendeskFaults {
  /** Added to every API response. */
  latencyMs: number
  /** When above latencyMs: each response waits a seeded-random time between the two instead (real Zendesk varies, 150–300 ms). */
  latencyMaxMs: number
  /** Seed of that random draw, so a run's latencies replay. */
  latencySeed: number
  /** Share (0..1) of API requests answered with a 5xx. */
  errorRate: number
  /** Every API request answers 503 while on. */
  outage: boolean
  /** Every API request answers 429 with this Retry-After while set. */
  rateLimitStormRetryAfterSeconds: number | null
  /** The next N API requests answer with this status (deterministic, for tests). */
  failNext: { count: number; status: number } | null
}

export const NO_FAULTS: ZendeskFaults = {
  latencyMs: 0,
  latencyMaxMs: 0,
  latencySeed: 1,
  errorRate: 0,
  outage: false,
  rateLimitStormRetryAfterSeconds: null,
  failNext: null,
}

export interface WindowState {
  limit: number
  remaining: number
  resetSeconds: number
}

/** A sliding window over request times, keyed (account, ticket+user, …). */
export interface SlidingWindow {
  /** Counts a request, or throws Zendesk's 429 when the window is full. */
  take(key: string, now: number, limit: number, description: string): WindowState
  peek(key: string, now: number, limit: number): WindowState
  clear(): void
}

export function createSlidingWindow(windowSeconds: number): SlidingWindow {
  const hits = new Map<string, number[]>()
  const windowMs = windowSeconds * 1000

  function recent(key: string, now: number): number[] {
    const times = (hits.get(key) ?? []).filter((time) => time > now - windowMs)
    hits.set(key, times)
    return times
  }

  function state(times: number[], now: number, limit: number): WindowState {
    const oldest = times[0]
    return {
      limit,
      remaining: Math.max(0, limit - times.length),
      resetSeconds: oldest === undefined ? windowSeconds : Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
    }
  }

  return {
    take(key, now, limit, description) {
      const times = recent(key, now)
      if (times.length >= limit) {
        throw tooManyRequests(state(times, now, limit).resetSeconds, description)
      }
      times.push(now)
      return state(times, now, limit)
    },
    peek(key, now, limit) {
      return state(recent(key, now), now, limit)
    },
    clear() {
      hits.clear()
    },
  }
}
