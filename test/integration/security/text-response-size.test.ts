import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createAutotaskSoapClient } from '../../../server/src/adapters/autotask/soap/soap-client'
import { createAutotaskRestClient } from '../../../server/src/adapters/autotask/rest/rest-client'
import { MAX_RESPONSE_BYTES } from '../../../server/src/adapters/http/response-size-limit'
import { createAuthProvider } from '../../../server/src/adapters/zendesk/zendesk-auth'
import { createZendeskHttp } from '../../../server/src/adapters/zendesk/zendesk-http'
import { IntegrationError } from '../../../server/src/errors/integration-error'

// Issue 13: a remote that answers with an endless (or just enormous) body must not be read whole.
const wsdlPath = fileURLToPath(new URL('../../../../shared/reference/autotask/atws-v1_6.wsdl', import.meta.url))

let server: Server
let origin: string
let bytesSent = 0
const chunk = Buffer.alloc(1024 * 1024, 'a')

beforeAll(async () => {
  let wsdl: string
  try {
    wsdl = readFileSync(wsdlPath, 'utf8')
  } catch {
    throw new Error(`The ATWS 1.6 WSDL is needed at ${wsdlPath} (../shared/reference/autotask/atws-v1_6.wsdl)`)
  }
  server = createServer((request, response) => {
    if (request.url?.endsWith('.wsdl')) {
      response.writeHead(200, { 'content-type': 'text/xml' }).end(wsdl)
      return
    }
    // A JSON- or XML-looking body that never ends, sent without Content-Length.
    response.writeHead(200, { 'content-type': request.url?.includes('.asmx') ? 'text/xml' : 'application/json' })
    response.write('{"items":["')
    const more = () => {
      while (!response.destroyed && bytesSent < 4 * MAX_RESPONSE_BYTES) {
        bytesSent += chunk.length
        if (!response.write(chunk)) return void response.once('drain', more)
      }
      response.end('"]}')
    }
    more()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

async function refusal(call: Promise<unknown>): Promise<IntegrationError> {
  const error = await call.then(
    () => null,
    (failure: unknown) => failure,
  )
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

describe('a response larger than PSA Link reads', () => {
  beforeEach(() => {
    bytesSent = 0
  })

  it('is refused by the Zendesk client after the limit when Zendesk streams an endless body', async () => {
    const now = () => new Date()
    const http = createZendeskHttp({
      baseUrl: origin,
      auth: createAuthProvider({ type: 'basic', email: 'a@demo.test', apiToken: 't' }, origin, now, 5_000),
      maxRetries: 0,
      timeoutMs: 60_000,
      maxRetryWaitSeconds: 0,
      sleep: async () => undefined,
      random: () => 0.5,
      now,
    })
    const error = await refusal(http.request('GET', '/api/v2/tickets/1/comments.json'))
    expect([error.system, error.code, error.retryable]).toEqual(['zendesk', 'response_too_large', false])
    expect(error.remoteMessage).toContain('more than 64 MiB')
    expect(bytesSent).toBeLessThan(4 * MAX_RESPONSE_BYTES)
  })

  it('is refused by the Autotask REST client after the limit when Autotask streams an endless body', async () => {
    const client = createAutotaskRestClient({
      username: 'api@demo.test',
      secret: 's',
      integrationCode: 'CODE',
      zoneUrl: `${origin}/ATServicesRest/V1.0/`,
      timeoutMs: 60_000,
    })
    const error = await refusal(client.findTicketsByIds([1]))
    expect([error.system, error.code, error.retryable]).toEqual(['autotask', 'response_too_large', false])
    expect(bytesSent).toBeLessThan(4 * MAX_RESPONSE_BYTES)
  })

  it('is refused by the Autotask SOAP client after the limit when Autotask streams an endless body', async () => {
    const client = createAutotaskSoapClient({
      username: 'api@demo.test',
      secret: 's',
      integrationCode: 'CODE',
      zoneUrl: `${origin}/ATServices/1.6/atws.asmx`,
      timeoutMs: 60_000,
    })
    const error = await refusal(client.findTicketsByIds([1]))
    expect([error.system, error.code, error.retryable]).toEqual(['autotask', 'response_too_large', false])
    expect(bytesSent).toBeLessThan(4 * MAX_RESPONSE_BYTES)
  })
})
