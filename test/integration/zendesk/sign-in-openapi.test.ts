import { createHash } from 'node:crypto'
import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { exchangeAuthorizationCode } from '../../../server/src/adapters/zendesk/zendesk-oauth'
import { loadZendeskOpenApi } from '../../helpers/zendesk-openapi'
import type { ZendeskOpenApi } from '../../helpers/zendesk-openapi'
import { SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

/**
 * The parts of Zendesk that "Sign in with Zendesk" and leaving PSA Link use (issue 21), played by the
 * emulator and judged by Zendesk's OpenAPI documents: the consent page's user, /oauth/tokens with
 * PKCE, users/me with its role and address, Revoke Token (`current`), Delete Webhook, Delete Ticket Field.
 */
let running: RunningZendeskEmulator
let openApi: ZendeskOpenApi

beforeAll(async () => {
  openApi = loadZendeskOpenApi()
  running = await startZendeskEmulator({ subdomain: 'acme', seedTickets: false })
})
afterAll(async () => running.close())

const client = { clientId: 'psa-link-sandbox', clientSecret: 'sandbox-oauth-secret' }
const redirectUri = 'http://127.0.0.1:5173/admin/zendesk/sign-in/callback'

/** The consent page, approved as `userId` (the emulator's stand-in for whoever is signed in to Zendesk). */
async function authorizeAs(userId: number, verifier: string): Promise<string> {
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'read write',
    state: 's1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })
  const html = await (await fetch(`${running.baseUrl}/oauth/authorizations/new?${query}`)).text()
  expect(html).toContain('Signed in as')
  expect(html).toContain('Account: <strong>acme</strong>')
  const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]?.replace(/&amp;/g, '&')]))
  const approval = await fetch(`${running.baseUrl}/oauth/authorizations`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, decision: 'allow', user_id: String(userId) }),
    redirect: 'manual',
  })
  const back = new URL(approval.headers.get('location') ?? '')
  expect(back.searchParams.get('state')).toBe('s1')
  return back.searchParams.get('code') ?? ''
}

describe('sign in with Zendesk against the emulator and the OpenAPI documents', () => {
  it('issues a token for the chosen user, names their role and account, and revokes it, in documented shapes, when a person signs in', async () => {
    const { emulator } = running
    running.exchanges.length = 0
    const agent = emulator.agents()[0]!
    const verifier = 'x'.repeat(64)
    const tokens = await exchangeAuthorizationCode({
      baseUrl: running.baseUrl,
      ...client,
      code: await authorizeAs(agent.id, verifier),
      redirectUri,
      codeVerifier: verifier,
    })
    const asAgent = createZendeskClient({ baseUrl: running.baseUrl, auth: { type: 'oauth', accessToken: tokens.accessToken } })
    const me = await asAgent.getCurrentUser()
    expect(me).toMatchObject({ id: agent.id, role: 'agent', url: `${running.baseUrl}/api/v2/users/${agent.id}.json` })
    await asAgent.revokeCurrentToken()
    expect(emulator.state().oauth.userForAccessToken(tokens.accessToken)).toBeNull()
    await expect(asAgent.getCurrentUser()).rejects.toMatchObject({ code: 'unauthorized' })
    // Revoking ends the grant: its refresh token is refused too.
    const refreshed = await fetch(`${running.baseUrl}/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        ...{ client_id: client.clientId, client_secret: client.clientSecret },
      }),
    })
    expect(refreshed.status).toBe(400)

    const admin = createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER })
    const field = await admin.findOrCreateTicketField('Cluster ID (to remove)')
    const webhook = await admin.createWebhook({ name: 'PSA Link', endpoint: 'http://127.0.0.1:9/webhooks/zendesk/1' })
    await admin.deleteWebhook(webhook.id)
    await admin.deleteTicketField(field.id)
    // Already gone counts as removed (a second removal after a lost answer).
    await admin.deleteWebhook(webhook.id)
    await admin.deleteTicketField(field.id)
    expect(emulator.state().webhooks.webhooks.has(webhook.id)).toBe(false)
    expect(emulator.state().store.ticketFields.has(field.id)).toBe(false)

    const seen = new Set(
      running.exchanges
        .filter((exchange) => exchange.status < 300)
        .map((exchange) => `${exchange.method} ${openApi.operationOf(exchange.method, exchange.url) ?? exchange.url}`),
    )
    for (const operation of [
      'POST /oauth/tokens',
      'GET /api/v2/users/me',
      'DELETE /api/v2/oauth/tokens/{oauth_token_id}',
      'DELETE /webhooks/{webhook_id}',
      'DELETE /api/v2/ticket_fields/{ticket_field_id}',
    ]) {
      expect(seen, `never called ${operation}`).toContain(operation)
    }
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })

  it('refuses to delete a ticket field when the token is an agent’s', async () => {
    const { emulator } = running
    const verifier = 'y'.repeat(64)
    const tokens = await exchangeAuthorizationCode({
      baseUrl: running.baseUrl,
      ...client,
      code: await authorizeAs(emulator.agents()[0]!.id, verifier),
      redirectUri,
      codeVerifier: verifier,
    })
    const response = await fetch(`${running.baseUrl}/api/v2/ticket_fields/${emulator.clusterIdFieldId}.json`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(response.status).toBe(403)
    expect(emulator.state().store.ticketFields.has(emulator.clusterIdFieldId)).toBe(true)
  })
})
