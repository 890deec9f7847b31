import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import type { AdminSecurityOptions } from '../../admin/admin-security-options'
import { WorkQueueFull } from '../../admin/work-limiter'

/**
 * An onRequest hook limiting one route (sign-in, first-admin setup) to so many requests a minute
 * from one client address, and so many from all together (a spread-out guessing run, or a flood
 * from many addresses). Counted in this instance's memory: each backend instance limits on its own.
 * Needs @fastify/rate-limit registered (its `createRateLimit`).
 */
export function signInRateLimit(fastify: FastifyInstance, rate: AdminSecurityOptions['signInRate']) {
  const limits = [
    fastify.createRateLimit({ max: rate.perAddressPerMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip }),
    fastify.createRateLimit({ max: rate.allPerMinute, timeWindow: 60_000, keyGenerator: () => 'all' }),
  ]
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const limit of limits) {
      const outcome = await limit(request)
      // `isAllowed` is true only for an allow-listed key; a counted request is refused once exceeded.
      if (!outcome.isAllowed && outcome.isExceeded) {
        reply.header('retry-after', String(outcome.ttlInSeconds))
        throw new AdminError(429, 'rate_limited', `Too many attempts. Try again in ${outcome.ttlInSeconds} seconds.`)
      }
    }
  }
}

/** Password hashing refused because too much of it is already waiting: the server is busy, not the request wrong. */
export function busy(reply: FastifyReply, error: unknown): never {
  if (!(error instanceof WorkQueueFull)) throw error
  reply.header('retry-after', '5')
  throw new AdminError(503, 'busy', 'Too many sign-ins are being checked right now. Try again in a few seconds.')
}
