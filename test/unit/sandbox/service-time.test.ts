import { Readable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import { createAutotaskEmulator, sandboxCredentials } from '../../../server/sandbox/src/autotask'
import { handleRestRequest } from '../../../server/sandbox/src/autotask/rest-face'
import { handleSoapRequest } from '../../../server/sandbox/src/autotask/soap-face'
import { startServiceClock } from '../../../server/sandbox/src/service-clock'
import zendeskSandbox, { createZendeskEmulator, type ZendeskEmulator } from '../../../server/sandbox/src/zendesk'

// The emulators' own service time (the benchmark's service floor reads it): injected waits stay out.
const latencyMs = 150

describe('the service clock', () => {
  it('counts the time between waits and leaves each wait out, on the wall clock and in CPU', async () => {
    let now = 0n
    let cpu = 0
    // Each step: wall milliseconds, of which the process had the CPU for `cpuMs`.
    const step = (ms: number, cpuMs: number) => {
      now += BigInt(ms) * 1_000_000n
      cpu += cpuMs * 1000
    }
    const clock = startServiceClock({ wallNs: () => now, cpuUs: () => cpu })
    step(3, 2)
    // The wait's time passes once the clock has been asked to wait, as a timer's would.
    await clock.wait(Promise.resolve().then(() => step(50, 7)))
    step(2, 2)
    clock.pause()
    step(40, 5)
    clock.resume()
    step(1, 1)
    // 3 + 2 + 1 ms served (2 + 2 + 1 in CPU); the 50 ms wait and the 40 ms pause are not
    expect(clock.serviceMs()).toBe(6)
    expect(clock.cpuMs()).toBe(5)
  })
})

describe('the Autotask emulator’s service time', () => {
  const emulator = createAutotaskEmulator()
  const authorization = `Basic ${Buffer.from(`${sandboxCredentials.userName}:${sandboxCredentials.secret}`).toString('base64')}`
  const header = `<soap:Header><AutotaskIntegrations xmlns="http://autotask.net/ATWS/v1_6/"><IntegrationCode>${sandboxCredentials.integrationCode}</IntegrationCode></AutotaskIntegrations></soap:Header>`
  const envelope = (body: string) =>
    `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`
  const soap = (body: string) =>
    handleSoapRequest(emulator, { body: envelope(body), headers: { authorization }, endpointUrl: 'http://127.0.0.1/ATServices/1.6/atws.asmx' })

  beforeEach(() => {
    emulator.resetCounters()
    emulator.setFaults({ latencyMs })
  })

  it('records a SOAP create’s service time without the injected latency and the entities it carried', async () => {
    const ticket = '<Entity xsi:type="Ticket"><Title>Disk alarm</Title></Entity>'
    await soap(`<create xmlns="http://autotask.net/ATWS/v1_6/"><Entities>${ticket.repeat(3)}</Entities></create>`)
    const service = emulator.counters().service['create:Ticket']
    expect(service).toMatchObject({ requests: 1, written: 3 })
    expect(service!.ms).toBeGreaterThan(0)
    expect(service!.ms).toBeLessThan(latencyMs)
  })

  it('records a REST query’s service time without the injected latency', async () => {
    await handleRestRequest(emulator, {
      method: 'POST',
      path: 'Tickets/query',
      query: {},
      headers: { username: sandboxCredentials.userName, secret: sandboxCredentials.secret, apiintegrationcode: sandboxCredentials.integrationCode },
      body: { filter: [{ op: 'exist', field: 'id' }] },
      baseUrl: 'http://127.0.0.1/ATServicesRest/V1.0/',
    })
    const service = emulator.counters().service['query:Ticket']
    expect(service).toMatchObject({ requests: 1, written: 0 })
    expect(service!.ms).toBeLessThan(latencyMs)
  })
})

describe('the Zendesk emulator’s service time', () => {
  let emulator: ZendeskEmulator
  let app: FastifyInstance
  let authorization: string

  beforeEach(async () => {
    emulator = createZendeskEmulator({ seedTickets: false })
    app = Fastify()
    await app.register(zendeskSandbox, { prefix: '/z', emulator })
    // An agent's API token: the caller is a person, not the integration.
    const agent = emulator.agents()[0]!
    emulator.state().apiTokens.set(agent.email, 'agent-token')
    authorization = `Basic ${Buffer.from(`${agent.email}/token:agent-token`).toString('base64')}`
    emulator.setFaults({ latencyMs })
  })
  afterEach(async () => app.close())

  it('records an answer’s service time without the injected latency under the counter’s key', async () => {
    const response = await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: { authorization } })
    expect(response.statusCode).toBe(200)
    const service = emulator.serviceTimes()['GET /api/v2/ticket_fields']
    expect(service?.requests).toBe(1)
    expect(service!.ms).toBeGreaterThan(0)
    expect(service!.ms).toBeLessThan(latencyMs)
  })

  it('leaves out the wait for a request body that arrives slowly', async () => {
    const ticket = emulator.createTicket({ subject: 'Before', comment: { body: 'First' } })
    emulator.setFaults({ latencyMs: 0 })
    const body = JSON.stringify({ ticket: { subject: 'After' } })
    const slowBody = Readable.from(
      (async function* () {
        await new Promise((resolve) => setTimeout(resolve, latencyMs))
        yield body
      })(),
    )
    const response = await app.inject({
      method: 'PUT',
      url: `/z/api/v2/tickets/${ticket.id}.json`,
      headers: { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      payload: slowBody,
    })
    expect(response.statusCode).toBe(200)
    expect(emulator.serviceTimes()['PUT /api/v2/tickets/:id']!.ms).toBeLessThan(latencyMs)
  })

  it('records no service time for an answer refused by a rate limit', async () => {
    emulator.setLimits({ accountRequestsPerMinute: 1 })
    await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: { authorization } })
    expect((await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: { authorization } })).statusCode).toBe(429)
    expect(emulator.serviceTimes()['GET /api/v2/ticket_fields']?.requests).toBe(1)
    expect(emulator.counters()['GET /api/v2/ticket_fields']).toBe(2)
  })

  it('forgets the service times when the counters are reset', async () => {
    await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: { authorization } })
    emulator.resetCounters()
    expect(emulator.serviceTimes()).toEqual({})
  })
})
