import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import type { AdminPrincipal } from '../../admin/admin-principal'

export const SESSION_COOKIE = 'psa_link_admin'
/** Idle timeout: a session unused this long ends (and at the latest its lifetime after sign-in). */
export const SESSION_IDLE_SECONDS = 8 * 3600

/** How session cookies are issued: `Secure` when the public address is https, whatever the proxy in front says. */
export interface SessionCookiePolicy {
  publicUrl: string | null
  lifetimeSeconds: number
}

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

/** Whether cookies for this request must be `Secure`: the public address decides, else the request's own protocol. */
export function secureCookies(request: FastifyRequest, publicUrl: string | null): boolean {
  return publicUrl ? publicUrl.startsWith('https:') : request.protocol === 'https'
}

/** Sets the session cookie to end with the session (idle timeout or lifetime, whichever is first). */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, expiresAt: Date, publicUrl: string | null): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000))
  reply.setCookie(SESSION_COOKIE, token, { path: '/admin', httpOnly: true, sameSite: 'strict', secure: secureCookies(request, publicUrl), maxAge })
}

/**
 * Guards every /admin/api route: a live session (cookie), the CSRF token on state-changing
 * requests, and the forced password change before anything else. The Zendesk OAuth callback is
 * not under /admin/api: it arrives from zendesk.com without the SameSite=Strict session cookie and
 * is tied to its session by a cookie of its own (see zendesk-routes.ts).
 */
export function registerAdminAuth(fastify: FastifyInstance, policy: SessionCookiePolicy): void {
  const { users, sessions } = fastify
  fastify.decorateRequest('admin', null)

  // Before the input is validated: whoever is not signed in is told so, not what their form lacks.
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? ''
    if (!url.startsWith('/admin/api/')) return
    const access = request.routeOptions.config.adminAccess
    if (access === 'none') return

    const token = request.cookies[SESSION_COOKIE]
    const session = token ? await sessions.touch(token, SESSION_IDLE_SECONDS, policy.lifetimeSeconds) : null
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
      readOnly: user.readOnly,
      csrfToken: session.csrfToken,
      sessionToken: token,
    }
    setSessionCookie(reply, request, token, session.expiresAt, policy.publicUrl)
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AdminError(403, 'csrf', 'This request did not carry the session’s CSRF token. Reload the page and try again.')
    }
    // A read-only login (a Zendesk agent an account's admins let in) may look and sign out, nothing else.
    if (user.readOnly && !SAFE_METHODS.has(request.method) && !(url === '/admin/api/session' && request.method === 'DELETE')) {
      throw new AdminError(403, 'read_only', 'Your login is read-only (a Zendesk agent): ask a Zendesk admin to change this.')
    }
    if (user.mustChangePassword && access !== 'session') {
      throw new AdminError(403, 'password_change_required', 'Choose a new password before doing anything else.')
    }
  })
}
