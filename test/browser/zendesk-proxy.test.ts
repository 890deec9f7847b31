import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { proxyZafRequest } from '../../server/sandbox/src/agent/zendesk-proxy'
import type { ProxySettings } from '../../server/sandbox/src/agent/zendesk-proxy'
import { verifyJwt } from './preview-harness'

// The preview's stand-in for Zendesk's request proxy, checked without a browser.
describe('the preview request proxy', () => {
  let target: FastifyInstance
  let url: string
  const seen: { authorization: string | undefined; body: unknown }[] = []
  const settings = (allowedOrigin = url): ProxySettings => ({
    values: { backend_url: url, shared_secret: 's3cret-value' },
    secureNames: new Set(['shared_secret']),
    allowedOrigin,
  })

  beforeAll(async () => {
    target = Fastify()
    target.all('/echo', async (request) => {
      seen.push({ authorization: request.headers.authorization, body: request.body })
      return { ok: true }
    })
    url = await target.listen({ host: '127.0.0.1', port: 0 })
  })

  afterAll(async () => {
    await target.close()
  })

  it('signs the claims with the secure setting and fills {{jwt.token}} when the request is secure', async () => {
    const answer = await proxyZafRequest(
      {
        url: `${url}/echo`,
        type: 'GET',
        secure: true,
        headers: { Authorization: 'Bearer {{jwt.token}}' },
        jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 120, claims: { iss: 'acme', aud: 'psa-link', ticket_id: 5, user_id: 7 } },
      },
      settings(),
    )
    expect(answer.status).toBe(200)
    const claims = verifyJwt(seen.at(-1)?.authorization, 's3cret-value')
    expect(claims).toMatchObject({ iss: 'acme', aud: 'psa-link', ticket_id: 5, user_id: 7 })
    expect(typeof claims === 'object' && claims.exp - (claims.iat ?? 0)).toBe(120)
  })

  it('refuses to put a secure setting into a request that is not secure', async () => {
    const before = seen.length
    const answer = await proxyZafRequest({ url: `${url}/echo`, type: 'GET', headers: { 'X-Key': '{{setting.shared_secret}}' } }, settings())
    expect(answer.status).toBe(400)
    expect(seen).toHaveLength(before)
  })

  it('refuses requests to any origin but the backend', async () => {
    const answer = await proxyZafRequest({ url: 'http://localhost:1/echo', type: 'GET', secure: true }, settings())
    expect(answer.status).toBe(403)
    expect(answer.responseText).toContain('forwards only to')
  })

  it('refuses algorithms other than HS256', async () => {
    const answer = await proxyZafRequest(
      { url: `${url}/echo`, type: 'GET', secure: true, jwt: { algorithm: 'none', secret_key: '{{setting.shared_secret}}', expiry: 60, claims: {} } },
      settings(),
    )
    expect(answer.status).toBe(400)
  })

  it('answers 502 when the backend cannot be reached', async () => {
    const answer = await proxyZafRequest({ url: 'http://127.0.0.1:9/echo', type: 'GET', secure: true }, settings('http://127.0.0.1:9'))
    expect(answer.status).toBe(502)
  })
})
