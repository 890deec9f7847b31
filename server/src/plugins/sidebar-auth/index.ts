import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { bearerToken, verifySidebarToken, type SidebarClaims } from './verify-sidebar-token'

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

function refuse(reply: FastifyReply, statusCode: 401 | 403, code: string, message: string): FastifyReply {
  if (statusCode === 401) reply.header('www-authenticate', 'Bearer realm="psa-link"')
  return reply.status(statusCode).send({ statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', code, message })
}

/**
 * Authenticates every route of the context it is registered in with the sidebar's JWT. The claims
 * come from browser code, so the only thing trusted is "an agent of account `iss`"; the ticket the
 * URL names must be the ticket the token was made for, and no user or role claim is read at all.
 */
export default fp(
  async (app) => {
    app.decorateRequest('sidebar', null)

    app.addHook('onRequest', async (request, reply) => {
      const token = bearerToken(request.headers.authorization)
      if (!token) return refuse(reply, 401, 'missing_token', 'Send the sidebar token as "Authorization: Bearer <jwt>".')
      const result = await verifySidebarToken(token, async (subdomain) => {
        const account = await app.engine.tenants.findAccountBySubdomain(subdomain)
        return account ? { accountId: account.id, sharedSecret: account.appSharedSecret } : null
      })
      if (!result.ok) return refuse(reply, 401, result.code, result.message)
      request.sidebar = callerOf(result.tenant.accountId, result.claims)
      // Every later line of this request, the "request completed" one too, names the account and ticket.
      request.log = request.log.child({ account: request.sidebar.subdomain, accountId: request.sidebar.accountId, ticketId: request.sidebar.ticketId })
      reply.log = request.log
      return undefined
    })

    app.addHook('preHandler', async (request, reply) => {
      const params = request.params as { zendeskTicketId?: number } | undefined
      if (params?.zendeskTicketId === undefined || !request.sidebar) return undefined
      if (params.zendeskTicketId !== request.sidebar.ticketId) {
        return refuse(reply, 403, 'ticket_mismatch', `This token was issued for ticket ${request.sidebar.ticketId}, not ticket ${params.zendeskTicketId}.`)
      }
      return undefined
    })
  },
  { name: 'sidebar-auth', dependencies: ['sync-engine'] },
)

function callerOf(accountId: number, claims: SidebarClaims): SidebarCaller {
  return { accountId, subdomain: claims.subdomain, ticketId: claims.ticketId }
}
