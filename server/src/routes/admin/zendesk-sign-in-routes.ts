import { createHash, randomBytes } from 'node:crypto'
import { AuthorizeReply, OAuthCallbackQuery, ZendeskSignInBody, type SignInRefusal } from '@psa-link/shared/admin-api'
import type { FastifyRequest } from 'fastify'
import { buildAuthorizationUrl, createZendeskClient, exchangeAuthorizationCode, type ZendeskTokens, type ZendeskUser } from '../../adapters/zendesk'
import { AdminError, invalidInput } from '../../admin/admin-error'
import { fieldProblems } from '../../admin/field-problems'
import type { AdminSecurityOptions } from '../../admin/admin-security-options'
import { zendeskSubdomainOf } from '../../admin/first-admin-setup'
import {
  isUserOfAccount,
  openFlow,
  safeReturnTo,
  sealFlow,
  SIGN_IN_CALLBACK_PATH,
  SIGN_IN_COOKIE,
  SIGN_IN_COOKIE_SECONDS,
  type SignInFlow,
} from '../../admin/zendesk-sign-in'
import { createZendeskSignInRepository } from '../../db/repositories/zendesk-sign-in-repository'
import type { ZendeskAccount } from '../../db/repositories/tenants-repository'
import type { OAuthClient } from '../../plugins/admin/zendesk-clients'
import { IntegrationError } from '../../errors/integration-error'
import { secureCookies, SESSION_IDLE_SECONDS, setSessionCookie, type SessionCookiePolicy } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { requireJson } from './require-json'
import { signInRateLimit } from './sign-in-rate-limit'
import { FIRST_EXPORT_LOOKBACK_SECONDS } from '../../sync/run-cycle'

export interface ZendeskSignInRoutesOptions {
  cookies: SessionCookiePolicy
  signInRate: AdminSecurityOptions['signInRate']
  /** The global OAuth client (ZENDESK_OAUTH_CLIENT_ID/SECRET); the sandbox's accounts use the emulator's. */
  oauthClient: OAuthClient | null
  /** ONBOARDING_SUBDOMAINS: who may onboard; null: any subdomain. */
  onboardingSubdomains: ReadonlySet<string> | null
}

/** More than the minute Zendesk's incremental exports require a start_time to be in the past. */

const SUBDOMAIN_PROBLEM = 'Enter your Zendesk subdomain, such as acme or acme.zendesk.com.'

/**
 * Sign in with Zendesk, and onboarding: a Zendesk admin of an account PSA Link has never seen
 * signs in and the account is created here with them as its first admin (issue 21).
 */
const zendeskSignInRoutes: AdminRoutesPlugin<ZendeskSignInRoutesOptions> = async (fastify, options) => {
  const { sessions, audit, zendeskSettings } = fastify
  const { tenants, secrets } = fastify
  const signIns = createZendeskSignInRepository(fastify.db.pool)
  const publicUrl = options.cookies.publicUrl
  const originOf = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`
  const redirectUriOf = (request: FastifyRequest) => `${originOf(request)}${SIGN_IN_CALLBACK_PATH}`

  /** Where the account's Zendesk is and which OAuth client PSA Link uses there. */
  function targetOf(subdomain: string, existing: ZendeskAccount | null): { baseUrl: string; client: OAuthClient | null; emulated: boolean } {
    const emulatedBase = fastify.sandbox?.zendeskBaseUrl(subdomain) ?? null
    if (emulatedBase) return { baseUrl: existing?.baseUrl ?? emulatedBase, client: fastify.sandbox!.zendeskOAuthClient, emulated: true }
    return { baseUrl: existing?.baseUrl ?? `https://${subdomain}.zendesk.com`, client: options.oauthClient, emulated: false }
  }

  const mayOnboard = (subdomain: string) => options.onboardingSubdomains === null || options.onboardingSubdomains.has(subdomain)

  const signInOptions = {
    config: { adminAccess: 'none' as const },
    onRequest: signInRateLimit(fastify, options.signInRate),
    preValidation: requireJson('Send the sign-in as JSON.'),
    schema: { body: ZendeskSignInBody, response: { 200: AuthorizeReply } },
  }
  fastify.post('/api/zendesk-sign-in', signInOptions, async (request, reply) => {
    const form = fieldProblems()
    const subdomain = zendeskSubdomainOf(request.body.zendesk.trim())
    if (!subdomain) form.add('zendesk', SUBDOMAIN_PROBLEM)
    const returnToInput = request.body.returnTo?.trim() ?? ''
    const returnTo = returnToInput === '' ? null : safeReturnTo(returnToInput)
    if (returnToInput !== '' && !returnTo) form.add('returnTo', 'PSA Link returns only to its own pages after sign-in.')
    form.throwIfAny()
    const existing = await tenants.findAccountBySubdomain(subdomain!)
    if (!existing && !mayOnboard(subdomain!))
      throw invalidInput({ zendesk: `PSA Link here does not take new Zendesk accounts from “${subdomain}”. Ask its operator.` })
    const target = targetOf(subdomain!, existing)
    if (!target.client)
      throw new AdminError(
        409,
        'no_oauth_client',
        'Sign in with Zendesk is not set up on this installation: its operator sets ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET.',
      )
    const flow: SignInFlow = {
      state: randomBytes(24).toString('base64url'),
      verifier: randomBytes(48).toString('base64url'),
      subdomain: subdomain!,
      baseUrl: target.baseUrl,
      returnTo,
      startedAt: Date.now(),
    }
    reply.setCookie(SIGN_IN_COOKIE, sealFlow(secrets, flow), {
      path: SIGN_IN_CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(request, publicUrl),
      maxAge: SIGN_IN_COOKIE_SECONDS,
    })
    const authorizeUrl = buildAuthorizationUrl({
      baseUrl: target.baseUrl,
      clientId: target.client.clientId,
      redirectUri: redirectUriOf(request),
      state: flow.state,
      scope: 'read write',
      codeChallenge: createHash('sha256').update(flow.verifier).digest('base64url'),
    })
    return { authorizeUrl }
  })

  fastify.get('/zendesk/sign-in/callback', { schema: { querystring: OAuthCallbackQuery } }, async (request, reply) => {
    const cookie = request.cookies[SIGN_IN_COOKIE]
    if (cookie !== undefined) reply.clearCookie(SIGN_IN_COOKIE, { path: SIGN_IN_CALLBACK_PATH })
    const { code, state, error } = request.query
    const flow = openFlow(secrets, cookie, state)
    const refuse = (refusal: SignInRefusal, subdomain?: string) =>
      reply.redirect(`/admin/#/sign-in?zendesk_error=${refusal}${subdomain ? `&zendesk=${encodeURIComponent(subdomain)}` : ''}`)
    if (!flow) return refuse('state')
    if (error) return refuse('denied', flow.subdomain)
    if (!code) return refuse('state', flow.subdomain)

    const existing = await tenants.findAccountBySubdomain(flow.subdomain)
    const target = targetOf(flow.subdomain, existing)
    // The flow's Zendesk is the one the code came from: an account moved meanwhile starts again.
    if (!target.client || target.baseUrl !== flow.baseUrl) return refuse('state', flow.subdomain)
    let tokens: ZendeskTokens
    let me: ZendeskUser
    try {
      tokens = await exchangeAuthorizationCode(
        {
          baseUrl: flow.baseUrl,
          clientId: target.client.clientId,
          clientSecret: target.client.clientSecret,
          code,
          redirectUri: redirectUriOf(request),
          codeVerifier: flow.verifier,
        },
        { timeoutMs: 20_000 },
      )
      me = await zendeskAs(flow.baseUrl, tokens.accessToken).getCurrentUser()
    } catch (failure) {
      if (!(failure instanceof IntegrationError)) throw failure
      request.log.warn({ err: failure, subdomain: flow.subdomain }, 'sign in with Zendesk: the code exchange or users/me failed')
      return refuse('zendesk', flow.subdomain)
    }
    if (!isUserOfAccount(me, flow.baseUrl)) {
      request.log.warn({ subdomain: flow.subdomain, userUrl: me.url ?? null }, 'sign in with Zendesk: users/me named a user of another account')
      await revokeQuietly(request, flow.baseUrl, tokens.accessToken)
      return refuse('wrong_account', flow.subdomain)
    }
    // An agent is let in read-only where the account's admins allowed it; an account is never created by one.
    const readOnlyAgent = me.role === 'agent' && me.active && me.email !== null && existing !== null && (await signIns.agentsReadOnly(existing.id))
    if ((me.role !== 'admin' && !readOnlyAgent) || !me.active || !me.email) {
      await revokeQuietly(request, flow.baseUrl, tokens.accessToken)
      if (existing)
        await audit.record({
          accountId: existing.id,
          adminUserId: null,
          action: 'zendesk_sign_in_refused',
          details: { zendeskUserId: me.id, email: me.email, role: me.role },
        })
      return refuse('not_admin', flow.subdomain)
    }

    let account = existing
    let onboarded = false
    if (!account) {
      if (!mayOnboard(flow.subdomain)) {
        await revokeQuietly(request, flow.baseUrl, tokens.accessToken)
        return refuse('not_allowed', flow.subdomain)
      }
      ;({ account, created: onboarded } = await createAccount(flow, target.emulated))
    }
    const adminUserId = await signIns.adminFor(account.id, me.id, me.email, readOnlyAgent)
    if (account.oauth.accessToken === null && account.apiToken === null && !readOnlyAgent) {
      // The account's first connection to Zendesk: the token of the admin who onboarded it, sealed.
      await zendeskSettings.saveOAuthConnection(account.id, {
        ...tokens,
        clientId: target.client.clientId,
        clientSecret: target.client.clientSecret,
        integrationUserId: me.id,
      })
      await audit.record({ accountId: account.id, adminUserId, action: 'zendesk_connected', details: { integrationUser: me.email, via: 'sign_in' } })
    } else {
      // Connected already: this sign-in's token is not needed, so it does not stay alive in Zendesk.
      await revokeQuietly(request, flow.baseUrl, tokens.accessToken)
    }
    if (onboarded)
      await audit.record({ accountId: account.id, adminUserId, action: 'account_onboarded', details: { subdomain: flow.subdomain, email: me.email } })
    await audit.record({
      accountId: account.id,
      adminUserId,
      action: 'zendesk_sign_in',
      details: { zendeskUserId: me.id, role: me.role, readOnly: readOnlyAgent },
    })
    const session = await sessions.create(adminUserId, SESSION_IDLE_SECONDS, options.cookies.lifetimeSeconds)
    setSessionCookie(reply, request, session.token, session.expiresAt, publicUrl)
    return reply.redirect(`/admin/${flow.returnTo ?? '#/'}`)
  })

  /** The new account; when a parallel first sign-in made it a moment ago, that one. */
  async function createAccount(flow: SignInFlow, emulated: boolean): Promise<{ account: ZendeskAccount; created: boolean }> {
    try {
      // A sandbox-played account is marked like the demo one: it goes when the sandbox does.
      // The export starts a little before onboarding: Zendesk refuses a start_time less than a minute
      // old, and older tickets are the backfill's to bring.
      const exportStartTime = Math.floor(Date.now() / 1000) - FIRST_EXPORT_LOOKBACK_SECONDS
      const id = await tenants.createAccount({ subdomain: flow.subdomain, baseUrl: flow.baseUrl, sandbox: emulated, exportStartTime })
      return { account: (await tenants.getAccount(id))!, created: true }
    } catch (error) {
      const again = await tenants.findAccountBySubdomain(flow.subdomain)
      if (again) return { account: again, created: false }
      throw error
    }
  }

  async function revokeQuietly(request: FastifyRequest, baseUrl: string, accessToken: string): Promise<void> {
    try {
      await zendeskAs(baseUrl, accessToken).revokeCurrentToken()
    } catch (failure) {
      // The token dies on its own when it expires; a failed revoke must not turn a refusal into a 500.
      request.log.warn({ err: failure }, 'sign in with Zendesk: revoking an unneeded token failed')
    }
  }
}

function zendeskAs(baseUrl: string, accessToken: string) {
  return createZendeskClient({ baseUrl, auth: { type: 'oauth', accessToken }, timeoutMs: 20_000, maxRetries: 1 })
}

export default zendeskSignInRoutes
