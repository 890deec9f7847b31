import { createHmac } from 'node:crypto'
import { SANDBOX_APP_SHARED_SECRET } from '../../../server/sandbox/src/sandbox-tenant'
import { startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { sidebarToken } from '../api/api-stack'

// Issue 13: the sidebar token is verified by @fastify/jwt (HS256, the secret of `iss`, aud
// psa-link, a maximum age, clock tolerance); refusals never tell which accounts exist; refused
// requests are rate-limited per IP.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => {
  await stack?.close()
})

const now = () => Math.floor(Date.now() / 1000)

async function getTicket(token: string | null, remoteAddress = '127.0.0.1') {
  const response = await stack.app.inject({
    method: 'GET',
    url: '/api/v1/tickets/1',
    remoteAddress,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  })
  return { status: response.statusCode, body: response.json<Record<string, unknown>>(), authenticate: response.headers['www-authenticate'] }
}

describe('an issuer PSA Link does not know', () => {
  it('answers exactly as a bad signature does when the token names an unknown account', async () => {
    const token = sidebarToken(1, { claims: { iss: 'acme-probe' }, secret: 'guessed-secret' })
    const unknown = await getTicket(token)
    await stack.app.tenants.createAccount({ subdomain: 'acme-probe', baseUrl: 'http://127.0.0.1:9/acme', appSharedSecret: 'the-real-secret' })
    const badSignature = await getTicket(token)
    expect(badSignature.body.code).toBe('bad_signature')
    expect(unknown).toEqual(badSignature)
  })

  it('answers exactly as a bad signature does when the account has no shared secret', async () => {
    const token = sidebarToken(1, { claims: { iss: 'nosecret-probe' }, secret: 'guessed-secret' })
    await stack.app.tenants.createAccount({ subdomain: 'nosecret-probe', baseUrl: 'http://127.0.0.1:9/n' })
    const withoutSecret = await getTicket(token)
    await stack.database.pool.query(`DELETE FROM zendesk_accounts WHERE subdomain = 'nosecret-probe'`)
    const unknown = await getTicket(token)
    expect(withoutSecret).toEqual(unknown)
    expect(withoutSecret.body.code).toBe('bad_signature')
  })
})

describe('a sidebar token', () => {
  it('is refused when its payload was changed after signing', async () => {
    const [header, , signature] = sidebarToken(1).split('.')
    const forged = Buffer.from(JSON.stringify({ iss: 'demo', aud: 'psa-link', ticket_id: 1, exp: now() + 60 })).toString('base64url')
    expect((await getTicket(`${header}.${forged}.${signature}`)).body.code).toBe('bad_signature')
  })

  it('is refused when it was issued more than five minutes ago, even with a fresh exp', async () => {
    const answer = await getTicket(sidebarToken(1, { claims: { iat: now() - 600, exp: now() + 60 } }))
    expect([answer.status, answer.body.code]).toEqual([401, 'token_expired'])
  })

  it('is accepted when it expired less than the clock tolerance ago', async () => {
    expect((await getTicket(sidebarToken(1, { claims: { iat: now() - 120, exp: now() - 10 } }))).status).toBe(200)
  })

  it('is refused when it expired more than the clock tolerance ago', async () => {
    expect((await getTicket(sidebarToken(1, { claims: { iat: now() - 120, exp: now() - 60 } }))).body.code).toBe('token_expired')
  })

  it('is refused when it is not valid yet', async () => {
    expect((await getTicket(sidebarToken(1, { claims: { nbf: now() + 120 } }))).body.code).toBe('not_yet_valid')
  })

  it('is refused when it has a critical header extension', async () => {
    expect((await getTicket(sidebarToken(1, { header: { alg: 'HS256', crit: ['b64'], b64: false } }))).body.code).toBe('malformed_token')
  })

  it('is refused when it names no ticket', async () => {
    expect((await getTicket(sidebarToken(1, { claims: { ticket_id: undefined } }))).body.code).toBe('missing_ticket')
  })

  it('is refused when it is not three base64url parts', async () => {
    expect((await getTicket('a.b')).body.code).toBe('malformed_token')
    expect((await getTicket('%%.%%.%%')).body.code).toBe('malformed_token')
  })

  it('is refused when it is HS256 over the right secret but for another audience', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
    const payload = Buffer.from(JSON.stringify({ iss: 'demo', aud: ['zendesk'], ticket_id: 1, exp: now() + 60 })).toString('base64url')
    const signature = createHmac('sha256', SANDBOX_APP_SHARED_SECRET).update(`${header}.${payload}`).digest('base64url')
    expect((await getTicket(`${header}.${payload}.${signature}`)).body.code).toBe('wrong_audience')
  })
})

describe('refused sidebar requests', () => {
  it('are answered 429 per IP past 120 a minute, while signed requests from that IP still pass', async () => {
    const attacker = '203.0.113.7'
    const statuses: number[] = []
    for (let attempt = 0; attempt < 125; attempt += 1) statuses.push((await getTicket(sidebarToken(1, { secret: `guess-${attempt}` }), attacker)).status)
    expect(statuses.slice(0, 120).every((status) => status === 401)).toBe(true)
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429])
    expect((await getTicket(null, attacker)).status).toBe(429)
    expect((await getTicket(null, '203.0.113.8')).status).toBe(401)
    expect((await getTicket(sidebarToken(1), attacker)).status).toBe(200)
  })
})
