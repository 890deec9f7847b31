import { randomBytes } from 'node:crypto'
import fastifyJwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  CLOCK_TOLERANCE_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  SIDEBAR_ALGORITHM,
  SIDEBAR_AUDIENCE,
  badSignature,
  bearerToken,
  inspectUnverified,
  refusalForVerifyError,
  sidebarClaims,
  type SidebarClaims,
} from './verify-sidebar-token'

/** Who a verified sidebar request is: an agent of this Zendesk account, looking at this ticket. */
export interface SidebarCaller {
  accountId: number
  subdomain: string
  ticketId: number
}

declare module 'fastify' {
  interface FastifyRequest {
    sidebar: SidebarCaller | null
  }
}

export interface SidebarAuthOptions {
  /** Refused sidebar requests allowed per client IP and minute before they are answered 429 (default 120). */
  refusalsPerIpPerMinute?: number
}

function refuse(reply: FastifyReply, statusCode: 401 | 403, code: string, message: string): FastifyReply {
  if (statusCode === 401) reply.header('www-authenticate', 'Bearer realm="psa-link"')
  return reply.status(statusCode).send({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', code, message })
}

/**
 * Authenticates every route of the context it is registered in with the sidebar's JWT, verified by
 * @fastify/jwt: HS256 only, the secret of the account `iss` names, aud psa-link, at most five
 * minutes old, 30 s of clock tolerance. The claims come from browser code, so the only thing
 * trusted is "an agent of account `iss`"; the ticket the URL names must be the ticket the token was
 * made for, and no user or role claim is read at all.
 *
 * Refused requests are counted per client IP: past the limit they are answered 429. Signed
 * requests are never counted here (they arrive from Zendesk's proxy, shared by every account, and
 * are limited per account after authentication), so a sidebar that polls each minute, or every
 * few seconds while a sync is pending, is never slowed by it.
 */
export default fp<SidebarAuthOptions>(
  async (app, options) => {
    // An unknown account or one without a secret is checked against this instead, so it fails
    // exactly as a wrong signature does, through the same code path.
    const decoySecret = randomBytes(32).toString('hex')
    const secrets = new WeakMap<FastifyRequest, string>()

    await app.register(fastifyJwt, {
      secret: async (request: FastifyRequest) => secrets.get(request) ?? decoySecret,
      decoratorName: 'sidebarToken',
      verify: {
        algorithms: [SIDEBAR_ALGORITHM],
        allowedAud: SIDEBAR_AUDIENCE,
        // @fastify/jwt reads maxAge as a duration (a bare number would be seconds); fast-jwt reads clockTolerance in ms.
        maxAge: `${MAX_TOKEN_LIFETIME_SECONDS}s`,
        clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
        requiredClaims: ['exp', 'aud', 'iss'],
        extractToken: (request: FastifyRequest) => bearerToken(request.headers.authorization) ?? '',
      },
      messages: { authorizationTokenInvalid: (error: { message: string }) => error.message },
    })
    await app.register(rateLimit, { global: false })
    const refusals = app.createRateLimit({
      max: options.refusalsPerIpPerMinute ?? 120,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => `sidebar-refused:${request.ip}`,
    })

    app.decorateRequest('sidebar', null)

    app.addHook('onRequest', async (request, reply) => {
      const outcome = await authenticate(request)
      if ('caller' in outcome) {
        request.sidebar = outcome.caller
        // Every later line of this request, the "request completed" one too, names the account and ticket.
        request.log = request.log.child({ account: request.sidebar.subdomain, accountId: request.sidebar.accountId, ticketId: request.sidebar.ticketId })
        reply.log = request.log
        return undefined
      }
      const limit = await refusals(request)
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', String(Math.ceil(limit.ttl / 1000)))
        return reply.status(429).send({
          statusCode: 429,
          error: 'Too Many Requests',
          code: 'rate_limited',
          message: `Too many refused requests from this address: at most ${limit.max} a minute.`,
        })
      }
      return refuse(reply, 401, outcome.code, outcome.message)
    })

    async function authenticate(request: FastifyRequest): Promise<{ caller: SidebarCaller } | { code: string; message: string }> {
      const token = bearerToken(request.headers.authorization)
      if (!token) return { code: 'missing_token', message: 'Send the sidebar token as "Authorization: Bearer <jwt>".' }
      const unverified = inspectUnverified(token)
      if (!unverified.ok) return unverified
      const account = await app.tenants.findAccountBySubdomain(unverified.issuer)
      if (account?.appSharedSecret) secrets.set(request, account.appSharedSecret)
      let payload: Record<string, unknown>
      try {
        payload = await request.jwtVerify<Record<string, unknown>>()
      } catch (error) {
        return refusalForVerifyError(error as { code?: string; message?: string }, unverified.issuer, unverified.payload)
      }
      // The decoy secret cannot have signed anything, but say it plainly.
      if (!account?.appSharedSecret) return badSignature(unverified.issuer)
      const claims = sidebarClaims(payload)
      if (!claims.ok) return claims
      return { caller: callerOf(account.id, claims.claims) }
    }

    app.addHook('preHandler', async (request, reply) => {
      const params = request.params as { zendeskTicketId?: number } | undefined
      if (params?.zendeskTicketId === undefined || !request.sidebar) return undefined
      if (params.zendeskTicketId !== request.sidebar.ticketId) {
        return refuse(reply, 403, 'ticket_mismatch', `This token was issued for ticket ${request.sidebar.ticketId}, not ticket ${params.zendeskTicketId}.`)
      }
      return undefined
    })
  },
  { name: 'sidebar-auth', dependencies: ['tenants'] },
)

function callerOf(accountId: number, claims: SidebarClaims): SidebarCaller {
  return { accountId, subdomain: claims.subdomain, ticketId: claims.ticketId }
}
