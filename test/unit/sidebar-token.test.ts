import { createHmac } from 'node:crypto'
import { bearerToken, verifySidebarToken } from '../../server/src/plugins/sidebar-auth/verify-sidebar-token'

const SECRET = 'unit-secret'
const NOW = new Date('2026-03-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const tenant = { accountId: 7, sharedSecret: SECRET }
const findTenant = async (subdomain: string) => (subdomain === 'acme' ? tenant : null)

function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, secret = SECRET): string {
  const parts = [header, { iss: 'acme', aud: 'psa-link', ticket_id: 12, exp: nowSeconds + 60, ...claims }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  const signature = createHmac('sha256', secret).update(parts.join('.')).digest('base64url')
  return `${parts.join('.')}.${signature}`
}

describe('verifySidebarToken', () => {
  it('accepts a valid token and reads ticket_id given as a string', async () => {
    expect(await verifySidebarToken(token({ ticket_id: '12' }), findTenant, NOW)).toEqual({ ok: true, tenant, claims: { subdomain: 'acme', ticketId: 12, expiresAt: new Date((nowSeconds + 60) * 1000) } })
  })

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = token({}).split('.')
    const forged = Buffer.from(JSON.stringify({ iss: 'acme', aud: 'psa-link', ticket_id: 13, exp: nowSeconds + 60 })).toString('base64url')
    expect(await verifySidebarToken(`${header}.${forged}.${signature}`, findTenant, NOW)).toMatchObject({ ok: false, code: 'bad_signature' })
  })

  it('refuses a token with a critical header extension', async () => {
    expect(await verifySidebarToken(token({}, { alg: 'HS256', crit: ['b64'], b64: false }), findTenant, NOW)).toMatchObject({ ok: false, code: 'malformed_token' })
  })

  it('refuses a token that is not yet valid', async () => {
    expect(await verifySidebarToken(token({ nbf: nowSeconds + 120 }), findTenant, NOW)).toMatchObject({ ok: false, code: 'not_yet_valid' })
  })

  it('refuses a token without ticket_id', async () => {
    expect(await verifySidebarToken(token({ ticket_id: undefined }), findTenant, NOW)).toMatchObject({ ok: false, code: 'missing_ticket' })
  })

  it('refuses garbage that is not three base64url parts', async () => {
    expect(await verifySidebarToken('a.b', findTenant, NOW)).toMatchObject({ ok: false, code: 'malformed_token' })
    expect(await verifySidebarToken('%%.%%.%%', findTenant, NOW)).toMatchObject({ ok: false, code: 'malformed_token' })
  })

  it('refuses an account that has no shared secret', async () => {
    expect(await verifySidebarToken(token({}), async () => ({ accountId: 7, sharedSecret: null }), NOW)).toMatchObject({ ok: false, code: 'no_shared_secret' })
  })

  it('reads only a Bearer authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi')
    expect(bearerToken('Basic abc')).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })
})
