import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import sidebarAuth from '../../plugins/sidebar-auth'
import ticketRoutes from './ticket-routes'

export interface ApiRoutesOptions {
  /** Sidebar requests allowed per Zendesk account and minute (default 600). */
  rateLimitPerMinute?: number
  syncWaitMs?: number
}

/**
 * The sidebar's API under /api/v1 (documented as OpenAPI at /docs). Every route needs the
 * sidebar's JWT and is rate-limited per Zendesk account (not per IP: every request comes from
 * Zendesk's proxy).
 */
const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, options) => {
  await app.register(async (sidebar) => {
    await sidebar.register(sidebarAuth)
    await sidebar.register(rateLimit, {
      max: options.rateLimitPerMinute ?? 600,
      timeWindow: '1 minute',
      // After authentication, so the key is the verified tenant and never a claim.
      hook: 'preHandler',
      keyGenerator: (request: FastifyRequest) => (request.sidebar ? `account:${request.sidebar.accountId}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error(`Too many requests for this Zendesk account: at most ${context.max} a minute. Retry in ${context.after}.`), {
          statusCode: 429,
          code: 'rate_limited',
          name: 'Too Many Requests',
        }),
    })
    await sidebar.register(ticketRoutes, options.syncWaitMs === undefined ? {} : { syncWaitMs: options.syncWaitMs })
  })
}

export default apiRoutes
