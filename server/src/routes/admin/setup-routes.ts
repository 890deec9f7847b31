import { SetupBody, SetupReply, SetupStatus } from '@psa-link/shared/admin-api'
import { AdminError } from '../../admin/admin-error'
import { firstAdminSetupCode, isSetupCode, zendeskSubdomainOf } from '../../admin/first-admin-setup'
import { fieldProblems } from '../../admin/field-problems'
import { hashPassword, newPasswordProblem } from '../../admin/passwords'
import { createFirstAdminRepository } from '../../db/repositories/first-admin-repository'
import type { AdminSecurityOptions } from '../../admin/admin-security-options'
import type { WorkLimiter } from '../../admin/work-limiter'
import { SESSION_IDLE_SECONDS, setSessionCookie, type SessionCookiePolicy } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { requireJson } from './require-json'
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
const setupRoutes: AdminRoutesPlugin<SetupRoutesOptions> = async (fastify, options) => {
  const { sessions, audit } = fastify
  const firstAdmin = createFirstAdminRepository(fastify.db.pool)
  const setupCode = firstAdminSetupCode(fastify.secrets)

  // With the sandbox mounted the console opens on its sign-in (the demo admin); otherwise on the setup.
  fastify.get('/api/setup', { config: { adminAccess: 'none' }, schema: { response: { 200: SetupStatus } } }, async () => ({
    needed: !(await firstAdmin.isSetUp()),
    sandbox: fastify.hasDecorator('sandbox'),
  }))

  // Before the form is read: once set up, any setup is refused the same way.
  async function refuseOnceSetUp() {
    if (await firstAdmin.isSetUp()) throw new AdminError(409, 'already_set_up', 'PSA Link is already set up: sign in, or ask an administrator for a login.')
  }

  // Rate-limited like sign-in: the setup code is a password to whoever finds a fresh installation.
  const setupOptions = {
    config: { adminAccess: 'none' as const },
    onRequest: signInRateLimit(fastify, options.signInRate),
    preValidation: [requireJson('Send the setup as JSON.'), refuseOnceSetUp],
    schema: { body: SetupBody, response: { 201: SetupReply } },
  }
  fastify.post('/api/setup', setupOptions, async (request, reply) => {
    const code = request.body.setupCode.trim()
    const zendesk = request.body.zendesk.trim()
    const email = request.body.email.trim()
    const { password, repeatPassword: repeated } = request.body
    // Every field is checked before answering (a field's first message wins), so one round shows all.
    const form = fieldProblems()
    if (!isSetupCode(code, setupCode)) form.add('setupCode', 'This is not the setup code. PSA Link prints it at start-up, next to the admin address.')
    const subdomain = zendeskSubdomainOf(zendesk)
    if (!subdomain) form.add('zendesk', 'Enter your Zendesk subdomain, such as acme or acme.zendesk.com.')
    else if ((await fastify.tenants.findAccountBySubdomain(subdomain))?.sandbox) {
      form.add('zendesk', `"${subdomain}" is the sandbox's demo account here; enter your own Zendesk.`)
    }
    const problem = newPasswordProblem(password, null)
    if (problem) form.add('password', problem)
    else if (repeated !== password) form.add('repeatPassword', 'The two passwords differ.')
    form.throwIfAny()

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
