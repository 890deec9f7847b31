import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createZendeskEmulator, SANDBOX_CREDENTIALS, type ZendeskEmulator } from '../../../server/sandbox/src/zendesk'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, createAdmin, type AdminClient } from '../admin/admin-client'

/**
 * Sign in with Zendesk and onboarding (issue 21), attacked: the flow's state and cookie, PKCE,
 * replayed codes, a users/me about another account, open redirects, the allow-list, and leaving.
 */
let stack: TestStack
let acme: ZendeskEmulator
let globex: ZendeskEmulator

beforeAll(async () => {
  acme = createZendeskEmulator({ subdomain: 'acme', accountId: 2_000_001, seedTickets: false })
  globex = createZendeskEmulator({ subdomain: 'globex', accountId: 2_000_002, seedTickets: false })
  // The global OAuth client is the emulator's, so an account the sandbox does not play can be reached through it.
  stack = await startTestStack({
    emulators: { zendeskAccounts: [acme, globex] },
    admin: { signInRate: { perAddressPerMinute: 1000, allPerMinute: 1000 } },
    env: { ZENDESK_OAUTH_CLIENT_ID: SANDBOX_CREDENTIALS.oauthClientId, ZENDESK_OAUTH_CLIENT_SECRET: SANDBOX_CREDENTIALS.oauthClientSecret },
  })
})
afterAll(async () => stack?.close())

const adminOf = (emulator: ZendeskEmulator) => emulator.state().integrationUser
const agentOf = (emulator: ZendeskEmulator) => emulator.agents()[0]!

interface Approval {
  /** The callback address Zendesk sends the browser back to (code and state). */
  callback: URL
  authorizeUrl: URL
}

/** Starts "Sign in with Zendesk" in `browser` and approves it on the emulator's page as `userId`. */
async function approve(browser: AdminClient, subdomain: string, userId: number, extra: Record<string, string> = {}): Promise<Approval> {
  const start = await browser.call('POST', '/admin/api/zendesk-sign-in', { zendesk: subdomain, ...extra })
  if (start.status !== 200) throw new Error(`start refused: ${JSON.stringify(start.body)}`)
  const authorizeUrl = new URL(String(start.body.authorizeUrl))
  const form = new URLSearchParams({ decision: 'allow', user_id: String(userId) })
  for (const name of ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method'])
    form.set(name, authorizeUrl.searchParams.get(name) ?? '')
  const approved = await fetch(new URL(authorizeUrl.pathname.replace(/\/new$/, ''), authorizeUrl), { method: 'POST', body: form, redirect: 'manual' })
  return { callback: new URL(approved.headers.get('location')!), authorizeUrl }
}

/** Zendesk's redirect back, as a browser follows it: a top-level navigation from another site. */
const land = (browser: AdminClient, callback: URL) => browser.call('GET', `${callback.pathname}${callback.search}`, undefined, { crossSite: true })

async function signInWithZendesk(subdomain: string, userId: number): Promise<{ browser: AdminClient; location: string }> {
  const browser = adminClient(stack.origin)
  const { callback } = await approve(browser, subdomain, userId)
  const landed = await land(browser, callback)
  return { browser, location: landed.headers.get('location') ?? '' }
}

const accountRow = async (subdomain: string) =>
  (
    await stack.database.pool.query<{ id: string; oauth_access_token_enc: string | null; sandbox: boolean }>(
      'SELECT id, oauth_access_token_enc, sandbox FROM zendesk_accounts WHERE subdomain = $1',
      [subdomain],
    )
  ).rows[0]

describe('sign in with Zendesk', () => {
  it('creates the account and makes the Zendesk admin its first admin when an unknown subdomain signs in', async () => {
    const { browser, location } = await signInWithZendesk('acme', adminOf(acme).id)
    expect(location).toBe('/admin/#/')
    const session = await browser.resume()
    expect(session.status).toBe(200)
    expect(session.body).toMatchObject({ subdomain: 'acme', email: adminOf(acme).email, mustChangePassword: false, connectionId: null })
    const row = (await accountRow('acme'))!
    // Sealed (v2, bound to its cell) and the emulator's token works for the sync.
    expect(row.oauth_access_token_enc).toMatch(/^v2\./)
    const account = (await stack.app.tenants.findAccountBySubdomain('acme'))!
    expect(account.baseUrl).toBe(`${stack.origin}/sandbox/zendesk-acme`)
    expect(acme.state().oauth.userForAccessToken(account.oauth.accessToken!)).toBe(adminOf(acme).id)
    expect(account.integrationUserId).toBe(adminOf(acme).id)
    const actions = ((await browser.get('/audit')).body.entries as Array<{ action: string }>).map((entry) => entry.action)
    expect(actions).toEqual(expect.arrayContaining(['account_onboarded', 'zendesk_connected', 'zendesk_sign_in']))
    // Its admins see their own account only.
    expect((await browser.get('/connections')).body.connections).toEqual([])
  })

  it('signs the same Zendesk admin in to the same login again and revokes the unneeded token when the account exists', async () => {
    const before = (await stack.database.pool.query('SELECT count(*)::int AS n FROM admin_users')).rows[0].n as number
    const browser = adminClient(stack.origin)
    const { callback, authorizeUrl } = await approve(browser, 'acme', adminOf(acme).id)
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256')
    const landed = await land(browser, callback)
    expect(landed.headers.get('location')).toBe('/admin/#/')
    expect((await browser.resume()).body.subdomain).toBe('acme')
    expect((await stack.database.pool.query('SELECT count(*)::int AS n FROM admin_users')).rows[0].n).toBe(before)
    // The stored connection keeps working: the sign-in's own token was the one revoked.
    const account = (await stack.app.tenants.findAccountBySubdomain('acme'))!
    expect(acme.state().oauth.userForAccessToken(account.oauth.accessToken!)).toBe(adminOf(acme).id)
  })

  it('refuses a Zendesk agent with a clear message and creates nothing when an agent signs in', async () => {
    const { browser, location } = await signInWithZendesk('globex', agentOf(globex).id)
    expect(location).toBe('/admin/#/sign-in?zendesk_error=not_admin&zendesk=globex')
    expect((await browser.resume()).status).toBe(401)
    expect(await accountRow('globex')).toBeUndefined()
  })

  it('lets a Zendesk agent in read-only when the account’s admins allowed it, and refuses them again when they stop', async () => {
    const { browser: admin } = await signInWithZendesk('acme', adminOf(acme).id)
    await admin.resume()
    expect((await admin.put('/account/agents-read-only', { allowed: true })).body.agentsReadOnly).toBe(true)

    const { browser: agent, location } = await signInWithZendesk('acme', agentOf(acme).id)
    expect(location).toBe('/admin/#/')
    const session = await agent.resume()
    expect(session.body).toMatchObject({ subdomain: 'acme', email: agentOf(acme).email, readOnly: true })
    expect((await agent.get('/connections')).status).toBe(200)
    expect((await agent.get('/account')).status).toBe(200)
    for (const change of [
      () => agent.post('/zendesk/app-secret'),
      () => agent.put('/account/agents-read-only', { allowed: true }),
      () => agent.call('DELETE', '/admin/api/account', { confirm: 'acme' }),
    ]) {
      const refused = await change()
      expect(refused.status).toBe(403)
      expect(refused.body.code).toBe('read_only')
    }
    expect(await accountRow('acme')).toBeDefined()
    expect((await agent.delete('/session')).status).toBe(200)

    expect((await admin.put('/account/agents-read-only', { allowed: false })).status).toBe(200)
    expect((await signInWithZendesk('acme', agentOf(acme).id)).location).toBe('/admin/#/sign-in?zendesk_error=not_admin&zendesk=acme')
    // The admin's own login is not read-only.
    expect((await admin.resume()).body.readOnly).toBe(false)
  })

  it('refuses the callback when its state is not the one the browser’s cookie holds', async () => {
    const browser = adminClient(stack.origin)
    const { callback } = await approve(browser, 'acme', adminOf(acme).id)
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`)
    const landed = await land(browser, callback)
    expect(landed.headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=state')
    expect((await browser.resume()).status).toBe(401)
  })

  it('refuses the callback in another browser when the flow’s cookie is missing', async () => {
    const { callback } = await approve(adminClient(stack.origin), 'acme', adminOf(acme).id)
    const elsewhere = adminClient(stack.origin)
    const landed = await land(elsewhere, callback)
    expect(landed.headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=state')
    expect((await elsewhere.resume()).status).toBe(401)
  })

  it('refuses a code issued for another flow’s PKCE challenge when it is injected with this browser’s own state', async () => {
    const victim = adminClient(stack.origin)
    const victimFlow = await approve(victim, 'acme', adminOf(acme).id)
    const attackerFlow = await approve(adminClient(stack.origin), 'acme', adminOf(acme).id)
    const injected = new URL(victimFlow.callback)
    injected.searchParams.set('code', attackerFlow.callback.searchParams.get('code')!)
    const landed = await land(victim, injected)
    expect(landed.headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=zendesk&zendesk=acme')
    expect((await victim.resume()).status).toBe(401)
  })

  it('has Zendesk refuse a code without its PKCE verifier when the token request leaves it out', async () => {
    const { callback } = await approve(adminClient(stack.origin), 'acme', adminOf(acme).id)
    const answer = await fetch(`${stack.origin}/sandbox/zendesk-acme/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code'),
        client_id: SANDBOX_CREDENTIALS.oauthClientId,
        client_secret: SANDBOX_CREDENTIALS.oauthClientSecret,
        redirect_uri: `${stack.origin}/admin/zendesk/sign-in/callback`,
      }),
    })
    expect(answer.status).toBe(400)
    expect(((await answer.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it('refuses a replayed callback when its code was used once already', async () => {
    const browser = adminClient(stack.origin)
    const { callback } = await approve(browser, 'acme', adminOf(acme).id)
    expect((await land(browser, callback)).headers.get('location')).toBe('/admin/#/')
    // The same browser again: the flow's cookie went with the first use.
    expect((await land(browser, callback)).headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=state')
    // A browser that started a flow of its own and is handed the used code with its own state.
    const other = adminClient(stack.origin)
    const own = await approve(other, 'acme', adminOf(acme).id)
    const replay = new URL(own.callback)
    replay.searchParams.set('code', callback.searchParams.get('code')!)
    expect((await land(other, replay)).headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=zendesk&zendesk=acme')
    expect((await other.resume()).status).toBe(401)
  })

  it('refuses to admit anyone when users/me answers for a user of another account', async () => {
    // A host in front of acme's Zendesk (a proxy, a misrouted name): tokens work, but the user it
    // reports is acme's, not of the account this host is registered as.
    const target = `${stack.origin}/sandbox/zendesk-acme`
    const proxy = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const headers: Record<string, string> = {}
      for (const name of ['authorization', 'content-type', 'accept']) if (request.headers[name]) headers[name] = String(request.headers[name])
      const answer = await fetch(`${target}${request.url}`, {
        method: request.method ?? 'GET',
        headers,
        redirect: 'manual',
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      })
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'text/plain',
        ...(answer.headers.get('location') ? { location: answer.headers.get('location')! } : {}),
      })
      response.end(Buffer.from(await answer.arrayBuffer()))
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    try {
      await stack.app.tenants.createAccount({ subdomain: 'initech', baseUrl: proxyOrigin })
      const before = (await stack.database.pool.query('SELECT count(*)::int AS n FROM admin_users')).rows[0].n as number
      const browser = adminClient(stack.origin)
      const { callback, authorizeUrl } = await approve(browser, 'initech', adminOf(acme).id)
      expect(authorizeUrl.origin).toBe(proxyOrigin)
      const landed = await land(browser, callback)
      expect(landed.headers.get('location')).toBe('/admin/#/sign-in?zendesk_error=wrong_account&zendesk=initech')
      expect((await browser.resume()).status).toBe(401)
      expect((await stack.database.pool.query('SELECT count(*)::int AS n FROM admin_users')).rows[0].n).toBe(before)
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()))
    }
  })

  it('refuses a return address outside the console when the sign-in names one', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example', '#//evil.example', 'javascript:alert(1)']) {
      const start = await adminClient(stack.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk: 'acme', returnTo })
      expect(start.status, returnTo).toBe(400)
      expect(start.body.fieldErrors?.returnTo).toMatch(/own pages/)
    }
    const browser = adminClient(stack.origin)
    const { callback } = await approve(browser, 'acme', adminOf(acme).id, { returnTo: '#/connections' })
    callback.searchParams.set('return_to', 'https://evil.example/')
    expect((await land(browser, callback)).headers.get('location')).toBe('/admin/#/connections')
  })

  it('refuses a subdomain that is not one when the sign-in starts', async () => {
    for (const zendesk of ['acme.evil.example', 'https://evil.example/acme', '-acme', 'ac_me']) {
      const start = await adminClient(stack.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk })
      expect(start.status, zendesk).toBe(400)
      expect(start.body.fieldErrors?.zendesk).toMatch(/subdomain/)
    }
  })

  it('refuses password sign-in when the account’s admins switched it off, and not before', async () => {
    const { browser } = await signInWithZendesk('acme', adminOf(acme).id)
    await browser.resume()
    const acmeId = Number((await accountRow('acme'))!.id)
    const local = await createAdmin(stack, { accountId: acmeId })
    expect((await adminClient(stack.origin).signIn(local.email, local.password)).status).toBe(200)
    expect((await browser.put('/account/password-sign-in', { allowed: false })).status).toBe(200)
    const refused = await adminClient(stack.origin).signIn(local.email, local.password)
    expect(refused.status).toBe(403)
    expect(refused.body.message).toMatch(/Sign in with Zendesk/)
    // A password login cannot switch it off for itself (it would lock itself out).
    const localBrowser = adminClient(stack.origin)
    await stack.database.pool.query('UPDATE zendesk_accounts SET password_sign_in = true WHERE id = $1', [acmeId])
    await localBrowser.signIn(local.email, local.password)
    expect((await localBrowser.put('/account/password-sign-in', { allowed: false })).status).toBe(409)
  })
})

describe('leaving PSA Link', () => {
  it('removes the webhook, the field PSA Link made and the token in Zendesk and deletes only this account’s data when confirmed', async () => {
    const otherBefore = await stack.database.pool.query('SELECT count(*)::int AS n FROM ticket_links WHERE zendesk_account_id = $1', [stack.accountId])
    const { browser } = await signInWithZendesk('globex', adminOf(globex).id)
    await browser.resume()
    const field = await browser.post('/zendesk/cluster-field', { title: 'Cluster ID (PSA Link)' })
    expect(field.status).toBe(200)
    // A field found by its title is the customer's: leaving keeps it.
    const found = await browser.post('/zendesk/cluster-field', { title: 'Cluster ID' })
    expect(found.body.clusterIdFieldId).toBe(globex.clusterIdFieldId)
    const webhook = await browser.post('/zendesk/webhook')
    expect(webhook.status).toBe(200)
    const account = (await stack.app.tenants.findAccountBySubdomain('globex'))!
    expect(globex.state().webhooks.webhooks.has(String(webhook.body.webhookId))).toBe(true)

    const wrong = await browser.call('DELETE', '/admin/api/account', { confirm: 'acme' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.fieldErrors?.confirm).toMatch(/Type “globex”/)
    expect(await accountRow('globex')).toBeDefined()

    const csv = await browser.call('GET', '/admin/api/account/links.csv')
    expect(csv.status).toBe(200)
    expect(String(csv.body.text).split('\r\n')[0]).toBe(
      'zendesk_ticket_id,autotask_ticket_id,autotask_ticket_number,connection,state,linked_by,created_at,last_synced_at',
    )

    const removed = await browser.call('DELETE', '/admin/api/account', { confirm: 'globex' })
    expect(removed.status).toBe(200)
    expect(removed.body.zendesk).toEqual({ webhook: { done: true }, fields: { done: true }, token: { done: true } })
    expect(globex.state().webhooks.webhooks.has(String(webhook.body.webhookId))).toBe(false)
    expect(globex.state().store.ticketFields.has(Number(field.body.clusterIdFieldId))).toBe(false)
    expect(globex.state().store.ticketFields.has(globex.clusterIdFieldId)).toBe(true)
    expect(globex.state().oauth.userForAccessToken(account.oauth.accessToken!)).toBeNull()
    expect(await accountRow('globex')).toBeUndefined()
    for (const table of ['admin_users', 'audit_log', 'autotask_connections', 'ticket_links']) {
      const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE zendesk_account_id = $1`, [account.id])
      expect(rows[0].n, table).toBe(0)
    }
    expect((await browser.resume()).status).toBe(401)
    // The others stay.
    expect(await accountRow('acme')).toBeDefined()
    expect((await stack.database.pool.query('SELECT count(*)::int AS n FROM ticket_links WHERE zendesk_account_id = $1', [stack.accountId])).rows[0].n).toBe(
      otherBefore.rows[0].n,
    )
  })
})

describe('the onboarding allow-list', () => {
  it('refuses a subdomain outside ONBOARDING_SUBDOMAINS when it has never been seen, and rate-limits the start', async () => {
    const listed = await startTestStack({
      env: { ONBOARDING_SUBDOMAINS: 'acme' },
      emulators: {
        zendeskAccounts: [createZendeskEmulator({ subdomain: 'acme', seedTickets: false }), createZendeskEmulator({ subdomain: 'globex', seedTickets: false })],
      },
    })
    try {
      const refused = await adminClient(listed.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk: 'globex' })
      expect(refused.status).toBe(400)
      expect(refused.body.fieldErrors?.zendesk).toMatch(/does not take new Zendesk accounts/)
      expect((await adminClient(listed.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk: 'acme' })).status).toBe(200)
      // Known accounts sign in whatever the list says (the sandbox's demo account is not on it).
      expect((await adminClient(listed.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk: 'demo' })).status).toBe(200)
      // Rate-limited like the password sign-in (20 a minute from one address by default).
      const statuses: number[] = []
      for (let attempt = 0; attempt < 18; attempt += 1)
        statuses.push((await adminClient(listed.origin).call('POST', '/admin/api/zendesk-sign-in', { zendesk: 'acme' })).status)
      expect(statuses.slice(0, 17).every((status) => status === 200)).toBe(true)
      expect(statuses[17]).toBe(429)
    } finally {
      await listed.close()
    }
  })
})
