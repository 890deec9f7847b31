import type { FastifyPluginAsync } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import { firstAdminSetupCode, isSetupCode, zendeskSubdomainOf } from '../../admin/first-admin-setup'
import { EMAIL_PATTERN, readForm } from '../../admin/form-input'
import { hashPassword, newPasswordProblem } from '../../admin/passwords'
import { createFirstAdminRepository } from '../../db/repositories/first-admin-repository'
import type { AdminSecurityOptions } from '../../admin/admin-security-options'
import type { WorkLimiter } from '../../admin/work-limiter'
import { SESSION_IDLE_SECONDS, setSessionCookie, type SessionCookiePolicy } from './admin-auth'
import { busy, signInRateLimit } from './sign-in-rate-limit'

export interface SetupRoutesOptions {
  cookies: SessionCookiePolicy
  hashing: WorkLimiter
  signInRate: AdminSecurityOptions['signInRate']
}

/**
 * A new installation's first administrator: whoever has the setup code (printed at start-up)
 * names the Zendesk account and their own login, and is signed in. Closed once a real account
 * exists; later admins are added in the console.
 */
const setupRoutes: FastifyPluginAsync<SetupRoutesOptions> = async (fastify, options) => {
  const { sessions, audit } = fastify
  const firstAdmin = createFirstAdminRepository(fastify.db.pool)
  const setupCode = firstAdminSetupCode(fastify.secrets)

  // With the sandbox mounted the console opens on its sign-in (the demo admin); otherwise on the setup.
  fastify.get('/api/setup', { config: { adminAccess: 'none' } }, async () => ({ needed: !(await firstAdmin.isSetUp()), sandbox: fastify.hasDecorator('sandbox') }))

  // Rate-limited like sign-in: the setup code is a password to whoever finds a fresh installation.
  fastify.post('/api/setup', { config: { adminAccess: 'none' }, onRequest: signInRateLimit(fastify, options.signInRate) }, async (request, reply) => {
    // As with sign-in: a JSON body cannot be sent cross-site without a preflight this API never grants.
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new AdminError(415, 'json_required', 'Send the setup as JSON.')
    }
    if (await firstAdmin.isSetUp()) throw new AdminError(409, 'already_set_up', 'PSA Link is already set up: sign in, or ask an administrator for a login.')
    const form = readForm(request.body)
    const code = form.text('setupCode', 'The setup code', { max: 40 })
    const zendesk = form.text('zendesk', 'Your Zendesk address', { max: 200 })
    const email = form.text('email', 'Email', { max: 254, pattern: EMAIL_PATTERN, patternMessage: 'Enter an email address such as name@example.com.' })
    const password = form.secret('password', 'Password', true) ?? ''
    const repeated = form.secret('repeatPassword', 'The password again', true) ?? ''
    // Every field is checked before answering (a field's first message wins), so one round shows all.
    if (!isSetupCode(code, setupCode)) form.fail('setupCode', 'This is not the setup code. PSA Link prints it at start-up, next to the admin address.')
    const subdomain = zendeskSubdomainOf(zendesk)
    if (!subdomain) form.fail('zendesk', 'Enter your Zendesk subdomain, such as acme or acme.zendesk.com.')
    else if ((await fastify.tenants.findAccountBySubdomain(subdomain))?.sandbox) {
      form.fail('zendesk', `"${subdomain}" is the sandbox's demo account here; enter your own Zendesk.`)
    }
    const problem = password === '' ? null : newPasswordProblem(password, null)
    if (problem) form.fail('password', problem)
    else if (repeated !== password) form.fail('repeatPassword', 'The two passwords differ.')
    form.done()

    const passwordHash = await options.hashing.run(() => hashPassword(password)).catch((error: unknown) => busy(reply, error))
    const outcome = await firstAdmin.create({ subdomain: subdomain!, baseUrl: `https://${subdomain}.zendesk.com`, email, passwordHash })
    if (!outcome.created) throw new AdminError(409, 'already_set_up', 'PSA Link was set up a moment ago: sign in, or ask an administrator for a login.')
    await audit.record({ accountId: outcome.accountId, adminUserId: outcome.userId, action: 'first_admin_created', details: { email, subdomain } })
    const session = await sessions.create(outcome.userId, SESSION_IDLE_SECONDS, options.cookies.lifetimeSeconds)
    setSessionCookie(reply, request, session.token, session.expiresAt, options.cookies.publicUrl)
    return reply.status(201).send({ csrfToken: session.csrfToken, subdomain })
  })
}

export default setupRoutes
