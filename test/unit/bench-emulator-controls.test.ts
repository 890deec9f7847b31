import Fastify, { type FastifyInstance } from 'fastify'
import zendeskSandbox, { createZendeskEmulator, type ZendeskEmulator } from '../../server/sandbox/src/zendesk'
import { createLatency } from '../../server/sandbox/src/zendesk/latency'
import { NO_FAULTS } from '../../server/sandbox/src/zendesk/limits'

// The emulator controls the benchmark relies on, driven in-process (Fastify's inject, no network).
let emulator: ZendeskEmulator
let app: FastifyInstance
const auth = { authorization: 'Bearer sandbox-oauth-token' }

beforeEach(async () => {
  emulator = createZendeskEmulator({ seedTickets: false })
  app = Fastify()
  await app.register(zendeskSandbox, { prefix: '/z', emulator })
})
afterEach(async () => app.close())

describe('the Zendesk latency range', () => {
  it('stays flat when no maximum above the minimum is set', () => {
    const latency = createLatency()
    expect([1, 2, 3].map(() => latency({ ...NO_FAULTS, latencyMs: 20 }))).toEqual([20, 20, 20])
  })

  it('draws within the range and replays the same draws for the same seed', () => {
    const faults = { ...NO_FAULTS, latencyMs: 150, latencyMaxMs: 300, latencySeed: 17 }
    const first = createLatency()
    const second = createLatency()
    const draws = Array.from({ length: 200 }, () => first(faults))
    expect(Array.from({ length: 200 }, () => second(faults))).toEqual(draws)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(150)
    expect(Math.max(...draws)).toBeLessThanOrEqual(300)
    // Spread over the range, not stuck at one value.
    expect(new Set(draws).size).toBeGreaterThan(50)
  })
})

describe('the benchmark seed', () => {
  it('makes tickets with their comments spread over the past when asked for a history', async () => {
    const startAt = new Date(Date.now() - 3_600_000)
    const response = await app.inject({
      method: 'POST',
      url: '/z/_control/seed-tickets',
      payload: { count: 30, commentsPerTicket: 5, clusterIds: ['CL-1001', 'CL-1002'], startAt: startAt.toISOString(), stepMs: 1000 },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ count: 30 })
    const tickets = emulator.tickets()
    expect(tickets).toHaveLength(30)
    expect(tickets.every((ticket) => ticket.comments.length === 5)).toBe(true)
    expect(tickets[0]!.createdAt.getTime()).toBe(startAt.getTime())
    expect(tickets[29]!.createdAt.getTime()).toBe(startAt.getTime() + 29_000)
    // The clock is real time again once the history is made.
    expect(Math.abs(emulator.now().getTime() - Date.now())).toBeLessThan(60_000)
  })

  it('refuses a history that would reach into the future', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/z/_control/seed-tickets',
      payload: { count: 10, startAt: new Date(Date.now() - 5000).toISOString(), stepMs: 1000 },
    })
    expect(response.statusCode).toBe(500)
    expect(emulator.tickets()).toHaveLength(0)
  })

  it('lets an agent rename and comment when the benchmark changes tickets', async () => {
    const ticket = emulator.createTicket({ subject: 'Before', comment: { body: 'First' }, clusterId: 'CL-1001' })
    await app.inject({ method: 'POST', url: '/z/_control/agent-changes', payload: { ticketIds: [ticket.id], subjectPrefix: 'Renamed', comment: 'Follow-up' } })
    const changed = emulator.ticket(ticket.id)!
    expect(changed.subject).toBe('Renamed 0')
    expect(changed.comments.at(-1)).toMatchObject({ body: 'Follow-up 0', authorId: emulator.agents()[0]!.id })
  })
})

describe('the counters', () => {
  it('count answers refused by a rate limit apart when the account budget runs out', async () => {
    emulator.setLimits({ accountRequestsPerMinute: 1 })
    expect((await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: auth })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/z/api/v2/ticket_fields.json', headers: auth })).statusCode).toBe(429)
    expect(emulator.counters()).toMatchObject({ 'GET /api/v2/ticket_fields': 2, '429 GET /api/v2/ticket_fields': 1 })
  })
})
