import { PasswordChangeBody, PasswordChangeReply, Session, SignInBody, SignInReply, SignOutReply } from '@psa-link/shared/admin-api'
import { AdminError, invalidInput } from '../../admin/admin-error'
import type { AdminSecurityOptions } from '../../admin/admin-security-options'
import { zendeskSubdomainOf } from '../../admin/first-admin-setup'
import { fieldProblems } from '../../admin/field-problems'
import { hashPassword, newPasswordProblem, verifyPassword } from '../../admin/passwords'
import { createZendeskSignInRepository } from '../../db/repositories/zendesk-sign-in-repository'
import { LOCK_OUT_SECONDS, MAX_FAILED_SIGN_INS, signIn } from '../../admin/sign-in'
import type { WorkLimiter } from '../../admin/work-limiter'
import { adminOf, SESSION_COOKIE, SESSION_IDLE_SECONDS, setSessionCookie, type SessionCookiePolicy } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { requireJson } from './require-json'
import { busy, signInRateLimit } from './sign-in-rate-limit'

export interface SessionRoutesOptions {
  cookies: SessionCookiePolicy
  hashing: WorkLimiter
  signInRate: AdminSecurityOptions['signInRate']
}

// One answer for an unknown email, a wrong password and a locked login: telling them apart would
// tell a guesser which emails are admins.
const REFUSED = `The email or password is not right, or this login is locked for ${LOCK_OUT_SECONDS / 60} minutes after ${MAX_FAILED_SIGN_INS} failed sign-ins. If your email is an admin of several Zendesk accounts, enter the account too.`

/** Sign-in, the session the console reads on load, sign-out and the (forced) password change. */
const sessionRoutes: AdminRoutesPlugin<SessionRoutesOptions> = async (fastify, options) => {
  const { users, sessions, audit } = fastify
  const { tenants } = fastify
  const passwordSignIns = createZendeskSignInRepository(fastify.db.pool)

  const signInOptions = {
    config: { adminAccess: 'none' as const },
    onRequest: signInRateLimit(fastify, options.signInRate),
    preValidation: requireJson('Send the sign-in as JSON.'),
    schema: { body: SignInBody, response: { 200: SignInReply } },
  }
  fastify.post('/api/session', signInOptions, async (request, reply) => {
    const email = request.body.email.trim()
    const password = request.body.password
    const account = request.body.zendesk?.trim() ?? ''
    const subdomain = account === '' ? null : zendeskSubdomainOf(account)
    if (account !== '' && !subdomain) throw invalidInput({ zendesk: 'Enter the Zendesk subdomain, such as acme or acme.zendesk.com.' })
    const result = await signIn(users, options.hashing, { email, subdomain, password }).catch((error: unknown) => busy(reply, error))
    if (!result.ok) {
      if (result.user)
        await audit.record({
          accountId: result.user.zendeskAccountId,
          adminUserId: result.user.id,
          action: result.locked ? 'sign_in_locked' : 'sign_in_failed',
        })
      throw new AdminError(401, 'sign_in_refused', REFUSED, { password: REFUSED })
    }
    // Checked only after the right password: a guesser learns nothing from this answer.
    if (!(await passwordSignIns.passwordSignInAllowed(result.user.zendeskAccountId))) {
      await audit.record({ accountId: result.user.zendeskAccountId, adminUserId: result.user.id, action: 'password_sign_in_refused' })
      throw new AdminError(403, 'password_sign_in_off', 'This Zendesk account’s admins sign in with Zendesk: use “Sign in with Zendesk”.')
    }
    const created = await sessions.create(result.user.id, SESSION_IDLE_SECONDS, options.cookies.lifetimeSeconds)
    await audit.record({ accountId: result.user.zendeskAccountId, adminUserId: result.user.id, action: 'sign_in' })
    setSessionCookie(reply, request, created.token, created.expiresAt, options.cookies.publicUrl)
    return { csrfToken: created.csrfToken, mustChangePassword: result.user.mustChangePassword }
  })

  fastify.get('/api/session', { config: { adminAccess: 'session' }, schema: { response: { 200: Session } } }, async (request) => {
    const admin = adminOf(request)
    const account = await tenants.getAccount(admin.accountId)
    const connection =
      admin.connectionId === null ? null : (await tenants.listConnections(admin.accountId)).find((candidate) => candidate.id === admin.connectionId)
    return {
      email: admin.email,
      accountId: admin.accountId,
      subdomain: account?.subdomain ?? null,
      connectionId: admin.connectionId,
      connectionName: connection?.name ?? null,
      mustChangePassword: admin.mustChangePassword,
      readOnly: admin.readOnly,
      csrfToken: admin.csrfToken,
    }
  })

  fastify.delete('/api/session', { config: { adminAccess: 'session' }, schema: { response: { 200: SignOutReply } } }, async (request, reply) => {
    const admin = adminOf(request)
    await sessions.remove(admin.sessionToken)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'sign_out' })
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
    return { signedOut: true }
  })

  const passwordOptions = { config: { adminAccess: 'session' as const }, schema: { body: PasswordChangeBody, response: { 200: PasswordChangeReply } } }
  fastify.post('/api/password', passwordOptions, async (request, reply) => {
    const admin = adminOf(request)
    const { currentPassword: current, newPassword: next, repeatPassword: repeated } = request.body
    const form = fieldProblems()
    const user = await users.get(admin.userId)
    const currentRight =
      user !== null && (await options.hashing.run(() => verifyPassword(current, user.passwordHash)).catch((error: unknown) => busy(reply, error)))
    if (!currentRight) form.add('currentPassword', 'This is not your current password.')
    const problem = newPasswordProblem(next, current)
    if (problem) form.add('newPassword', problem)
    else if (repeated !== next) form.add('repeatPassword', 'The two new passwords differ.')
    form.throwIfAny()
    await users.setPassword(admin.userId, await options.hashing.run(() => hashPassword(next)).catch((error: unknown) => busy(reply, error)), false)
    // Other sessions may belong to whoever knew the old password.
    await sessions.removeOthers(admin.userId, admin.sessionToken)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'password_changed', details: { forced: admin.mustChangePassword } })
    return { changed: true }
  })
}

export default sessionRoutes
