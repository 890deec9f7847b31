import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { loggableUrl, loggerOptions } from '../../server/src/logging'

// Objects that carry credentials do reach log calls (an error with its request, a connection being
// tested): the production logger must write them without their secret values.
function capturingApp() {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8')
      done()
    },
  })
  const app = Fastify({ logger: loggerOptions('debug', stream) })
  return { log: app.log, text: () => text, close: () => app.close() }
}

describe('the production logger', () => {
  it('redacts credentials when objects carrying them are logged', async () => {
    const { log, text, close } = capturingApp()
    const secrets = [
      'Bearer eyJhbGciOiJIUzI1NiJ9.secret-jwt',
      'psa_link_admin=cookie-value-123',
      'autotask-api-secret-456',
      'integration-code-789',
      'shared-secret-abc',
      'hunter2-password',
      'oauth-access-token-def',
    ]
    log.error({ err: { message: 'request failed', request: { headers: { authorization: secrets[0], cookie: secrets[1] } } } }, 'remote call failed')
    log.info({ connection: { name: 'main', secret: secrets[2], integrationCode: secrets[3] } }, 'testing a connection')
    log.warn({ account: { appSharedSecret: secrets[4], oauth: { accessToken: secrets[6] } }, body: { password: secrets[5] } }, 'saving')
    await close()
    expect(text()).toContain('testing a connection')
    expect(text()).toContain('[redacted]')
    for (const secret of secrets) expect(text()).not.toContain(secret)
  })

  it('redacts credential query parameters when a request URL is logged', () => {
    expect(loggableUrl('/admin/zendesk/oauth/callback?code=abc123&state=xyz&page=2')).toBe(
      '/admin/zendesk/oauth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&page=2',
    )
    expect(loggableUrl('/health')).toBe('/health')
  })
})
