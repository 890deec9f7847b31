import { createHash, randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import {
  AppSecret,
  ClientCredentialsBody,
  ClientCredentialsReply,
  ClusterFieldChoiceBody,
  ClusterFieldChosen,
  ClusterFieldCreated,
  ManualLinkBody,
  ManualLinkReply,
  NewClusterFieldBody,
  OAuthCallbackQuery,
  AuthorizeReply,
  TicketFields,
  WebhookRegistered,
  ZendeskSettings,
} from '@psa-link/shared/admin-api'
import { buildAuthorizationUrl, requestClientCredentialsToken, SYNC_WEBHOOK_SUBSCRIPTIONS } from '../../adapters/zendesk'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin, type AdminPrincipal } from '../../admin/admin-principal'
import { createSidebarSettingsRepository } from '../../db/repositories/sidebar-settings-repository'
import { IntegrationError } from '../../errors/integration-error'
import { accountAdminOnly } from './account-admin-only'
import { adminOf, secureCookies, type SessionCookiePolicy } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

export interface ZendeskRoutesOptions {
  cookies: SessionCookiePolicy
}

const CALLBACK_PATH = '/admin/zendesk/oauth/callback'
/**
 * The callback is a top-level navigation from zendesk.com, which does not carry the SameSite=Strict
 * session cookie. This cookie is SameSite=Lax (sent on that navigation), scoped to the callback's
 * path, lives 10 minutes and is bound to the connect's `state`: only the browser that started the
 * connect can finish it, and nothing else of the session is exposed cross-site.
 */
const OAUTH_COOKIE = 'psa_link_oauth'
const OAUTH_COOKIE_SECONDS = 10 * 60

function remote(error: unknown): AdminError {
  if (error instanceof IntegrationError) return new AdminError(502, `zendesk_${error.code}`, `Zendesk answered: ${error.remoteMessage}`)
  throw error
}

/**
 * The Zendesk side of an account: connect with OAuth (authorization code + PKCE, the state bound to
 * the admin's session), choose or create the Cluster ID field, the app's shared secret, the webhook.
 */
const zendeskRoutes: AdminRoutesPlugin<ZendeskRoutesOptions> = async (fastify, { cookies }) => {
  const publicUrl = cookies.publicUrl
  const { tenants } = fastify
  const originOf = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`
  const sidebarSettings = createSidebarSettingsRepository(fastify.db.pool)

  async function accountOf(admin: Pick<AdminPrincipal, 'accountId'>) {
    const account = await tenants.getAccount(admin.accountId)
    if (!account) throw notFound('Your Zendesk account')
    return account
  }

  fastify.get('/api/zendesk', { schema: { response: { 200: ZendeskSettings } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin)
    return {
      subdomain: account.subdomain,
      baseUrl: account.baseUrl,
      auth: account.oauth.accessToken ? (account.oauth.clientId ? 'oauth' : 'token') : account.apiToken ? 'api_token' : null,
      oauthClientAvailable: fastify.oauthClient(account) !== null,
      clusterIdFieldId: account.clusterIdFieldId,
      appSecretSet: account.appSharedSecret !== null,
      webhookId: account.webhookId,
      webhookEndpoint: `${originOf(request)}/webhooks/zendesk/${account.id}`,
      sidebarManualLink: await sidebarSettings.manualLinkPolicy(account.id),
    }
  })

  // Who may link a ticket by hand from the sidebar (zendesk-app/README.md, "Link by hand").
  fastify.put(
    '/api/zendesk/sidebar-manual-link',
    { preValidation: accountAdminOnly, schema: { body: ManualLinkBody, response: { 200: ManualLinkReply } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { policy } = request.body as ManualLinkBody
      const before = await sidebarSettings.saveManualLinkPolicy(admin.accountId, policy)
      if (before === null) throw notFound('Your Zendesk account')
      if (before !== policy) {
        await fastify.audit.record({
          accountId: admin.accountId,
          adminUserId: admin.userId,
          action: 'sidebar_manual_link_changed',
          details: { policy, before: { sidebarManualLink: before }, settings: { sidebarManualLink: policy } },
        })
      }
      return { sidebarManualLink: policy }
    },
  )

  fastify.post('/api/zendesk/oauth/start', { schema: { response: { 200: AuthorizeReply } } }, async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin)
    const client = fastify.oauthClient(account)
    if (!client)
      throw new AdminError(409, 'no_oauth_client', 'No Zendesk OAuth client is configured: set ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET.')
    const state = randomBytes(24).toString('base64url')
    const verifier = randomBytes(48).toString('base64url')
    const binding = randomBytes(32).toString('base64url')
    await fastify.sessions.saveOAuthState(admin.sessionToken, state, verifier, binding)
    reply.setCookie(OAUTH_COOKIE, binding, {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(request, publicUrl),
      maxAge: OAUTH_COOKIE_SECONDS,
    })
    const authorizeUrl = buildAuthorizationUrl({
      baseUrl: account.baseUrl,
      clientId: client.clientId,
      redirectUri: `${originOf(request)}${CALLBACK_PATH}`,
      state,
      scope: 'read write',
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    })
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'zendesk_oauth_started' })
    return { authorizeUrl }
  })

  fastify.get('/zendesk/oauth/callback', { schema: { querystring: OAuthCallbackQuery } }, async (request, reply) => {
    const back = (outcome: string) => reply.redirect(`/admin/#/zendesk?${outcome}`)
    const binding = request.cookies[OAUTH_COOKIE]
    if (binding) reply.clearCookie(OAUTH_COOKIE, { path: CALLBACK_PATH })
    const { code, state, error } = request.query
    // The connect is taken (once) only with both the state and this browser's cookie of it.
    const flow = binding && state ? await fastify.sessions.takeOAuthFlow(binding, state, OAUTH_COOKIE_SECONDS, cookies.lifetimeSeconds) : null
    if (!flow) return back('oauth_error=state')
    if (error) return back(`oauth_error=${encodeURIComponent(error)}`)
    const user = await fastify.users.get(flow.adminUserId)
    if (!user || user.connectionId !== null || user.mustChangePassword) return back('oauth_error=forbidden')
    if (!code) return back('oauth_error=state')
    const admin = { userId: user.id, accountId: user.zendeskAccountId }
    const account = await accountOf(admin)
    try {
      const tokens = await fastify.exchangeCode(account, { code, redirectUri: `${originOf(request)}${CALLBACK_PATH}`, codeVerifier: flow.verifier })
      const me = await fastify
        .zendeskClient({
          ...account,
          oauth: {
            ...account.oauth,
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
            expiresAt: tokens.expiresAt,
            clientId: tokens.client.clientId,
            clientSecret: tokens.client.clientSecret,
          },
        })
        .getCurrentUser()
      await fastify.zendeskSettings.saveOAuthConnection(account.id, {
        ...tokens,
        clientId: tokens.client.clientId,
        clientSecret: tokens.client.clientSecret,
        integrationUserId: me.id,
      })
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'zendesk_connected',
        details: { integrationUser: me.email ?? me.name },
      })
      return back('connected=1')
    } catch (failure) {
      const message = failure instanceof IntegrationError ? failure.remoteMessage : 'the token exchange failed'
      request.log.warn({ err: failure }, 'Zendesk OAuth connect failed')
      return back(`oauth_error=${encodeURIComponent(message)}`)
    }
  })

  // Server to server, no browser round trip: the account's own OAuth client (Admin Center › Apps and
  // integrations › APIs › OAuth clients, kind "confidential") with the client-credentials grant.
  fastify.post(
    '/api/zendesk/oauth/client-credentials',
    { preValidation: accountAdminOnly, schema: { body: ClientCredentialsBody, response: { 200: ClientCredentialsReply } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const account = await accountOf(admin)
      const clientId = request.body.clientId.trim()
      const { clientSecret } = request.body
      let tokens
      let me
      try {
        tokens = await requestClientCredentialsToken({ baseUrl: account.baseUrl, clientId, clientSecret }, { timeoutMs: 20_000 })
        me = await fastify
          .zendeskClient({
            ...account,
            oauth: { ...account.oauth, accessToken: tokens.accessToken, refreshToken: null, expiresAt: tokens.expiresAt, clientId, clientSecret },
          })
          .getCurrentUser()
      } catch (failure) {
        if (!(failure instanceof IntegrationError)) throw failure
        throw new AdminError(422, 'zendesk_refused', `Zendesk refused this OAuth client: ${failure.remoteMessage}`, {
          clientSecret: `Zendesk answered: ${failure.remoteMessage}`,
        })
      }
      await fastify.zendeskSettings.saveOAuthConnection(account.id, {
        clientId,
        clientSecret,
        accessToken: tokens.accessToken,
        refreshToken: null,
        expiresAt: tokens.expiresAt,
        integrationUserId: me.id,
      })
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'zendesk_connected',
        details: { grant: 'client_credentials', integrationUser: me.email ?? me.name },
      })
      return { connected: true, integrationUser: me.email ?? me.name }
    },
  )

  fastify.get('/api/zendesk/fields', { schema: { response: { 200: TicketFields } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin)
    try {
      const fields = await fastify.zendeskClient(account).listTicketFields()
      return { fields: fields.filter((field) => field.active && field.type === 'text').map((field) => ({ id: field.id, title: field.title })) }
    } catch (failure) {
      throw remote(failure)
    }
  })

  fastify.put(
    '/api/zendesk/cluster-field',
    { preValidation: accountAdminOnly, schema: { body: ClusterFieldChoiceBody, response: { 200: ClusterFieldChosen } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { fieldId } = request.body
      if (fieldId === null) throw invalidInput({ fieldId: 'Choose cluster id field.' })
      const account = await accountOf(admin)
      let fields
      try {
        fields = await fastify.zendeskClient(account).listTicketFields()
      } catch (failure) {
        throw remote(failure)
      }
      const field = fields.find((candidate) => candidate.id === fieldId)
      if (!field) throw invalidInput({ fieldId: 'Zendesk has no ticket field with this id.' })
      if (!field.active || field.type !== 'text') throw invalidInput({ fieldId: `“${field.title}” is not an active text field.` })
      await fastify.zendeskSettings.saveClusterIdField(account.id, fieldId)
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'cluster_field_chosen',
        details: { fieldId, title: field.title },
      })
      return { clusterIdFieldId: fieldId }
    },
  )

  fastify.post(
    '/api/zendesk/cluster-field',
    { preValidation: accountAdminOnly, schema: { body: NewClusterFieldBody, response: { 200: ClusterFieldCreated } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const title = request.body.title.trim()
      const account = await accountOf(admin)
      try {
        const client = fastify.zendeskClient(account)
        // Whether PSA Link made the field (rather than found one of that title) decides whether leaving removes it.
        const before = new Set((await client.listTicketFields()).map((candidate) => candidate.id))
        const field = await client.findOrCreateTicketField(title)
        await fastify.zendeskSettings.saveClusterIdField(account.id, field.id)
        await fastify.audit.record({
          accountId: admin.accountId,
          adminUserId: admin.userId,
          action: 'cluster_field_created',
          details: { fieldId: field.id, title: field.title, createdByPsaLink: !before.has(field.id) },
        })
        return { clusterIdFieldId: field.id, title: field.title }
      } catch (failure) {
        throw remote(failure)
      }
    },
  )

  fastify.post('/api/zendesk/app-secret', { schema: { response: { 200: AppSecret } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const secret = randomBytes(32).toString('base64url')
    await fastify.zendeskSettings.saveAppSharedSecret(admin.accountId, secret)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'app_secret_generated' })
    // Shown once: only its sealed form is kept.
    return { sharedSecret: secret }
  })

  fastify.post('/api/zendesk/webhook', { schema: { response: { 200: WebhookRegistered } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin)
    const client = fastify.zendeskClient(account)
    try {
      // The receiver picks the account (and so the signing secret) from the path.
      const endpoint = `${originOf(request)}/webhooks/zendesk/${account.id}`
      const webhook = await client.createWebhook({ name: `PSA Link (${originOf(request)})`, endpoint, subscriptions: SYNC_WEBHOOK_SUBSCRIPTIONS })
      const signingSecret = await client.getWebhookSigningSecret(webhook.id)
      await fastify.zendeskSettings.saveWebhook(account.id, webhook.id, signingSecret)
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'webhook_registered',
        details: { webhookId: webhook.id, endpoint: webhook.endpoint },
      })
      return { webhookId: webhook.id, endpoint: webhook.endpoint }
    } catch (failure) {
      throw remote(failure)
    }
  })
}

export default zendeskRoutes
