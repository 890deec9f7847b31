import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { RestHarness } from './rest-harness'
import { startRestEmulator } from './rest-harness'
import type { NewAutotaskTicketEntity } from '../../../server/src/adapters/autotask/index'
import { createAutotaskRestClient } from '../../../server/src/adapters/autotask/index'

// Issue 17: the REST client sends through a keep-alive HTTP client (adapters/http/keep-alive-http.ts).
// A backfill makes thousands of calls in a row; each new connection would cost a handshake, so the
// calls must share connections, and the failures must still map as they did through fetch.
let harness: RestHarness
let connections: Socket[]

beforeEach(async () => {
  harness = await startRestEmulator()
  connections = []
  harness.app.server.on('connection', (socket: Socket) => connections.push(socket))
})

afterEach(async () => {
  await harness.close()
})

/** A ticket under the account of Cluster CL-1001 (or any account, for a server that never reads it). */
const ticket = (externalId: string, accountId = 1): NewAutotaskTicketEntity => ({
  ...{ title: 'Cluster CL-1001 is degraded', description: 'Disk 3 failed.', status: 1, priority: 2, queueId: 8, source: 4, ticketType: 1 },
  accountId,
  externalId,
})

const clientOf = (origin: string, timeoutMs: number) =>
  createAutotaskRestClient({ username: 'api@demo.test', secret: 's', integrationCode: 'CODE', zoneUrl: `${origin}/ATServicesRest/V1.0/`, timeoutMs })

async function accountOfCluster(client: ReturnType<typeof harness.client>): Promise<number> {
  const [product] = await client.findConfigurationItemsByReferenceNumbers(['CL-1001'])
  return product?.accountId ?? 0
}

/** A server of our own for one test, answering as `handle` does; closed with its connections after the test. */
async function standIn(handle: Parameters<typeof createServer>[1]): Promise<{ origin: string; server: Server }> {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('Autotask REST client connections', () => {
  it('sends the zone lookup and twenty calls after it over one connection when the calls come one after another', async () => {
    const client = harness.client()
    for (let call = 0; call < 20; call += 1) await client.findTicketsByIds([call + 1])
    expect(harness.emulator.counters().total).toBeGreaterThanOrEqual(21)
    expect(connections).toHaveLength(1)
  })

  it('opens no more connections than calls run at once when three lanes write tickets', async () => {
    const client = harness.client()
    const accountId = await accountOfCluster(client)
    const tickets = Array.from({ length: 12 }, (_, index) => ticket(`zd:1:lane-${index}`, accountId))
    const results = await client.createTickets(tickets)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(connections.length).toBeGreaterThan(0)
    expect(connections.length).toBeLessThanOrEqual(3)
  })
})

describe('Autotask REST client failures through the keep-alive client', () => {
  it('fails with a retryable timeout when a read gets headers and then a body that never ends', async () => {
    const { origin } = await standIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"items":[')
    })
    const client = clientOf(origin, 150)
    await expect(client.findTicketsByIds([1])).rejects.toMatchObject({ system: 'autotask', code: 'timeout', retryable: true })
  })

  it('fails a create with a retryable unknown outcome when the connection drops after Autotask saved it', async () => {
    const client = harness.client()
    const accountId = await accountOfCluster(client)
    harness.emulator.lostResponses.set({ next: 1, mode: 'timeout', holdMs: 0 })
    await expect(client.createTickets([ticket('zd:1:dropped', accountId)])).rejects.toMatchObject({ code: 'outcome_unknown', retryable: true })
    expect(await client.findTicketsByExternalIds(['zd:1:dropped'])).toHaveLength(1)
  })

  it('keeps a create whose connection is refused a plain network error, since Autotask never saw it', async () => {
    const { origin, server } = await standIn(() => undefined)
    server.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.once('close', resolve))
    const client = clientOf(origin, 2_000)
    await expect(client.createTickets([ticket('zd:1:refused')])).rejects.toMatchObject({
      code: 'network',
      retryable: true,
      remoteMessage: expect.stringContaining('ECONNREFUSED') as unknown,
    })
  })

  it('fails the item without following the redirect, so the credentials stay on the zone, when a create is answered with one', async () => {
    let elsewhere = 0
    const { origin: other } = await standIn((_request, response) => {
      elsewhere += 1
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"itemId":1}')
    })
    const { origin } = await standIn((_request, response) => {
      response.writeHead(307, { location: `${other}/ATServicesRest/V1.0/Tickets` }).end()
    })
    const client = clientOf(origin, 2_000)
    const [result] = await client.createTickets([ticket('zd:1:redirected')])
    expect(result).toMatchObject({ ok: false, error: { system: 'autotask', status: 307, retryable: false } })
    expect(elsewhere).toBe(0)
  })
})
