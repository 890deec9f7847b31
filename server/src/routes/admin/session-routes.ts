import type { FastifyPluginAsync } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import { readForm } from '../../admin/form-input'
import { hashPassword, newPasswordProblem, verifyPassword } from '../../admin/passwords'
import { signIn } from '../../admin/sign-in'
import { adminOf, SESSION_COOKIE, SESSION_TTL_SECONDS, sessionCookieOptions } from './admin-auth'

/** Sign-in, the session the console reads on load, sign-out and the (forced) password change. */
const sessionRoutes: FastifyPluginAsync = async (fastify) => {
  const { users, sessions, audit } = fastify.adminServices
  const { tenants } = fastify.engine

  fastify.post('/api/session', { config: { adminAccess: 'none' } }, async (request, reply) => {
    // A JSON body cannot be sent cross-site without a CORS preflight, which this API never grants.
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new AdminError(415, 'json_required', 'Send the sign-in as JSON.')
    }
    const form = readForm(request.body)
    const email = form.text('email', 'Email', { max: 254 })
    const password = form.secret('password', 'Password', true) ?? ''
    form.done()
    const result = await signIn(users, email, password)
    if (!result.ok) {
      const user = await users.findByEmail(email)
      if (user) await audit.record({ accountId: user.zendeskAccountId, adminUserId: user.id, action: result.reason === 'locked' ? 'sign_in_locked' : 'sign_in_failed' })
      if (result.reason === 'locked') {
        throw new AdminError(429, 'locked', `Too many failed sign-ins. This login is locked until ${result.lockedUntil.toISOString()}.`)
      }
      throw new AdminError(401, 'invalid_credentials', 'The email or password is not right.', { password: 'The email or password is not right.' })
    }
    const created = await sessions.create(result.user.id, SESSION_TTL_SECONDS)
    await audit.record({ accountId: result.user.zendeskAccountId, adminUserId: result.user.id, action: 'sign_in' })
    reply.setCookie(SESSION_COOKIE, created.token, sessionCookieOptions(request, null))
    return { csrfToken: created.csrfToken, mustChangePassword: result.user.mustChangePassword }
  })

  fastify.get('/api/session', { config: { adminAccess: 'session' } }, async (request) => {
    const admin = adminOf(request)
    const account = await tenants.getAccount(admin.accountId)
    const connection = admin.connectionId === null ? null : (await tenants.listConnections(admin.accountId)).find((candidate) => candidate.id === admin.connectionId)
    return {
      email: admin.email,
      accountId: admin.accountId,
      subdomain: account?.subdomain ?? null,
      connectionId: admin.connectionId,
      connectionName: connection?.name ?? null,
      mustChangePassword: admin.mustChangePassword,
      csrfToken: admin.csrfToken,
    }
  })

  fastify.delete('/api/session', { config: { adminAccess: 'session' } }, async (request, reply) => {
    const admin = adminOf(request)
    await sessions.remove(admin.sessionToken)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'sign_out' })
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
    return { signedOut: true }
  })

  fastify.post('/api/password', { config: { adminAccess: 'session' } }, async (request) => {
    const admin = adminOf(request)
    const form = readForm(request.body)
    const current = form.secret('currentPassword', 'Current password', true) ?? ''
    const next = form.secret('newPassword', 'New password', true) ?? ''
    const repeated = form.secret('repeatPassword', 'The new password again', true) ?? ''
    form.done()
    const user = await users.get(admin.userId)
    if (!user || !(await verifyPassword(current, user.passwordHash))) form.fail('currentPassword', 'This is not your current password.')
    const problem = newPasswordProblem(next, current)
    if (problem) form.fail('newPassword', problem)
    else if (repeated !== next) form.fail('repeatPassword', 'The two new passwords differ.')
    form.done()
    await users.setPassword(admin.userId, await hashPassword(next), false)
    // Other sessions may belong to whoever knew the old password.
    await sessions.removeOthers(admin.userId, admin.sessionToken)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'password_changed', details: { forced: admin.mustChangePassword } })
    return { changed: true }
  })
}

export default sessionRoutes
