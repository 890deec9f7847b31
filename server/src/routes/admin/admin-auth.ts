import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import type { AdminPrincipal } from '../../admin/admin-principal'

export const SESSION_COOKIE = 'psa_link_admin'
/** Idle timeout: a session unused this long ends. */
export const SESSION_TTL_SECONDS = 8 * 3600

declare module 'fastify' {
  interface FastifyRequest {
    admin: AdminPrincipal | null
  }
  interface FastifyContextConfig {
    /** 'none': no session needed (sign-in); 'session': allowed before the forced password change. */
    adminAccess?: 'none' | 'session'
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The admin a request belongs to; routes behind the guard always have one. */
export function adminOf(request: FastifyRequest): AdminPrincipal {
  if (!request.admin) throw new AdminError(401, 'signed_out', 'Sign in to continue.')
  return request.admin
}

export function sessionCookieOptions(request: FastifyRequest, publicUrl: string | null) {
  const secure = publicUrl ? publicUrl.startsWith('https:') : request.protocol === 'https'
  return { path: '/admin', httpOnly: true, sameSite: 'strict' as const, secure, maxAge: SESSION_TTL_SECONDS }
}

/**
 * Guards every /admin/api route: a live session (cookie), the CSRF token on state-changing
 * requests, and the forced password change before anything else.
 */
export function registerAdminAuth(fastify: FastifyInstance, options: { publicUrl: string | null }): void {
  const { users, sessions } = fastify.adminServices
  fastify.decorateRequest('admin', null)

  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? ''
    const isApi = url.startsWith('/admin/api/')
    const isCallback = url.startsWith('/admin/zendesk/oauth/')
    if (!isApi && !isCallback) return
    const access = request.routeOptions.config.adminAccess
    if (access === 'none') return

    const token = request.cookies[SESSION_COOKIE]
    const session = token ? await sessions.touch(token, SESSION_TTL_SECONDS) : null
    const user = session ? await users.get(session.adminUserId) : null
    if (!token || !session || !user) {
      if (token) reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
      throw new AdminError(401, 'signed_out', 'Your session has ended. Sign in again.')
    }
    request.admin = {
      userId: user.id,
      email: user.email,
      accountId: user.zendeskAccountId,
      connectionId: user.connectionId,
      mustChangePassword: user.mustChangePassword,
      csrfToken: session.csrfToken,
      sessionToken: token,
    }
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(request, options.publicUrl))
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AdminError(403, 'csrf', 'This request did not carry the session’s CSRF token. Reload the page and try again.')
    }
    if (user.mustChangePassword && access !== 'session') {
      throw new AdminError(403, 'password_change_required', 'Choose a new password before doing anything else.')
    }
  })
}
