import { badSignature, bearerToken, inspectUnverified, refusalForVerifyError, sidebarClaims } from '../../server/src/plugins/sidebar-auth/verify-sidebar-token'

// The signature, algorithm, aud, exp, nbf and age are checked by @fastify/jwt: their attacks run
// over HTTP in test/integration/api/sidebar-auth.test.ts and test/integration/security/sidebar-jwt.test.ts.
const NOW = new Date('2026-03-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const unsigned = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) =>
  `${part(header)}.${part({ iss: 'acme', aud: 'psa-link', ticket_id: 12, exp: nowSeconds + 60, ...claims })}.c2ln`

describe('inspectUnverified', () => {
  it('reads the issuer of a well-formed HS256 token', () => {
    expect(inspectUnverified(unsigned({}))).toMatchObject({ ok: true, issuer: 'acme' })
  })

  it('refuses a token with a critical header extension', () => {
    expect(inspectUnverified(unsigned({}, { alg: 'HS256', crit: ['b64'], b64: false }))).toMatchObject({ ok: false, code: 'malformed_token' })
  })

  it('refuses every algorithm but HS256 whatever else the token holds', () => {
    for (const alg of ['none', 'RS256', 'HS512', 'ES256', undefined])
      expect(inspectUnverified(unsigned({}, { alg }))).toMatchObject({ ok: false, code: 'algorithm_refused' })
  })

  it('refuses garbage that is not three base64url parts', () => {
    expect(inspectUnverified('a.b')).toMatchObject({ ok: false, code: 'malformed_token' })
    expect(inspectUnverified('%%.%%.%%')).toMatchObject({ ok: false, code: 'malformed_token' })
  })

  it('refuses a token without iss', () => {
    expect(inspectUnverified(unsigned({ iss: undefined }))).toMatchObject({ ok: false, code: 'missing_issuer' })
  })
})

describe('sidebarClaims', () => {
  it('reads ticket_id given as a string', () => {
    expect(sidebarClaims({ iss: 'acme', ticket_id: '12', exp: nowSeconds + 60 }, NOW)).toEqual({
      ok: true,
      claims: { subdomain: 'acme', ticketId: 12, expiresAt: new Date((nowSeconds + 60) * 1000) },
    })
  })

  it('refuses a token without ticket_id', () => {
    expect(sidebarClaims({ iss: 'acme', exp: nowSeconds + 60 }, NOW)).toMatchObject({ ok: false, code: 'missing_ticket' })
  })

  it('refuses an exp more than 300 s ahead', () => {
    expect(sidebarClaims({ iss: 'acme', ticket_id: 12, exp: nowSeconds + 3600 }, NOW)).toMatchObject({ ok: false, code: 'expiry_too_far' })
  })
})

describe('refusalForVerifyError', () => {
  it('answers a signature error exactly as an unknown issuer', () => {
    expect(refusalForVerifyError({ code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID', message: 'The token signature is invalid.' }, 'acme', {})).toEqual(
      badSignature('acme'),
    )
  })
})

it('reads only a Bearer authorization header', () => {
  expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi')
  expect(bearerToken('Basic abc')).toBeNull()
  expect(bearerToken(undefined)).toBeNull()
})
