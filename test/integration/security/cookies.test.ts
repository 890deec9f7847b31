import { firstAdminSetupCode } from '../../../server/src/admin/first-admin-setup'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, createAdmin, signedIn, type AdminClient } from '../admin/admin-client'

const sessionCookieOf = (headers: Headers) => headers.getSetCookie().find((cookie) => cookie.startsWith('psa_link_admin='))
const maxAgeOf = (cookie: string | undefined) => Number(/Max-Age=(\d+)/i.exec(cookie ?? '')?.[1])

describe('session cookies when PSA Link is served over https', () => {
  let stack: TestStack
  beforeAll(async () => {
    // Behind a TLS-terminating proxy: requests reach the app over plain http.
    stack = await startTestStack({ env: { PUBLIC_URL: 'https://psa-link.example.test' } })
  })
  afterAll(async () => stack?.close())

  it('marks the session cookie Secure on sign-in and on first-admin setup when the public address is https', async () => {
    const { email, password } = await createAdmin(stack)
    const signIn = await adminClient(stack.origin).signIn(email, password)
    expect(signIn.status).toBe(200)
    expect(sessionCookieOf(signIn.headers)).toMatch(/;\s*Secure/i)

    const setup = await adminClient(stack.origin).post('/setup', {
      setupCode: firstAdminSetupCode(stack.app.secrets),
      zendesk: 'acme',
      email: 'ops@acme.test',
      password: 'a long first password',
      repeatPassword: 'a long first password',
    })
    expect(setup.status).toBe(201)
    expect(sessionCookieOf(setup.headers)).toMatch(/;\s*Secure/i)
  })
})

describe('session lifetime', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack()
  })
  afterAll(async () => stack?.close())

  const signedInAt = async (client: AdminClient, ago: string) => {
    await stack.database.pool.query(`UPDATE admin_sessions SET created_at = now() - $1::interval`, [ago])
    return client.get('/session')
  }

  it('ends a session 12 hours after sign-in however active it was when its lifetime has passed', async () => {
    const { email, password } = await createAdmin(stack)
    const client = adminClient(stack.origin)
    const signIn = await client.signIn(email, password)
    expect(sessionCookieOf(signIn.headers)).toMatch(/SameSite=Strict/i)
    // Used a moment ago, so the idle timeout alone would keep it.
    const nearlyOver = await signedInAt(client, '11 hours 59 minutes')
    expect(nearlyOver.status).toBe(200)
    // The cookie ends with the session, not 8 idle hours from now.
    expect(maxAgeOf(sessionCookieOf(nearlyOver.headers))).toBeLessThanOrEqual(60)
    const over = await signedInAt(client, '12 hours 1 minute')
    expect(over.status).toBe(401)
    expect((await client.get('/connections')).status).toBe(401)
  })
})

describe('the Zendesk OAuth callback', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack()
  })
  afterAll(async () => stack?.close())

  /** Starts a connect in `client`'s browser and lets the emulator's authorization page allow it: the callback URL. */
  async function authorize(client: AdminClient): Promise<{ callback: string; stateCookie: string | undefined }> {
    const start = await client.post('/zendesk/oauth/start')
    const stateCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith('psa_link_oauth='))
    const authorizeUrl = new URL(String(start.body.authorizeUrl))
    const form = new URLSearchParams({ decision: 'allow' })
    for (const name of ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method'])
      form.set(name, authorizeUrl.searchParams.get(name) ?? '')
    const approved = await fetch(`${stack.origin}/sandbox/zendesk/oauth/authorizations`, { method: 'POST', body: form, redirect: 'manual' })
    const callback = new URL(approved.headers.get('location')!)
    return { callback: `${callback.pathname}${callback.search}`, stateCookie }
  }

  it('connects with the cookies a browser sends on the cross-site redirect back from Zendesk (SameSite=Lax only)', async () => {
    const client = await signedIn(stack)
    const { callback, stateCookie } = await authorize(client)
    expect(stateCookie).toMatch(/SameSite=Lax/i)
    expect(stateCookie).toMatch(/Path=\/admin\/zendesk\/oauth\/callback/i)
    expect(stateCookie).toMatch(/HttpOnly/i)
    expect(maxAgeOf(stateCookie)).toBeLessThanOrEqual(600)

    const done = await client.call('GET', callback, undefined, { crossSite: true })
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe('/admin/#/zendesk?connected=1')
    const account = (await stack.app.tenants.getAccount(stack.accountId))!
    expect(account.oauth.refreshToken).not.toBeNull()
    const { rows } = await stack.database.pool.query("SELECT actor_email FROM audit_log WHERE action = 'zendesk_connected'")
    expect(rows).toHaveLength(1)
  })

  it("refuses a callback URL used from another browser, signed in or not, and leaves the admin's own connect working", async () => {
    const victim = await signedIn(stack)
    const { callback } = await authorize(victim)
    // Another browser: no cookies at all, then an admin with a connect of their own in progress.
    const stranger = await adminClient(stack.origin).call('GET', callback, undefined, { crossSite: true })
    expect(stranger.headers.get('location')).toBe('/admin/#/zendesk?oauth_error=state')
    const attacker = await signedIn(stack)
    await authorize(attacker)
    const replayed = await attacker.call('GET', callback, undefined, { crossSite: true })
    expect(replayed.headers.get('location')).toBe('/admin/#/zendesk?oauth_error=state')

    const done = await victim.call('GET', callback, undefined, { crossSite: true })
    expect(done.headers.get('location')).toBe('/admin/#/zendesk?connected=1')
    const again = await victim.call('GET', callback, undefined, { crossSite: true })
    expect(again.headers.get('location')).toBe('/admin/#/zendesk?oauth_error=state')
  })
})
