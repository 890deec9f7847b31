import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import type { ZendeskClientOptions } from '../../../server/src/adapters/zendesk/zendesk-client'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { fastForwardSleep, SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

// Issue 14: Zendesk's ticket update carries the comment and has no idempotency key, so an update
// resent after its answer was lost posts the comment twice (publicly, if public). The client
// resends only what is safe to send twice.
let running: RunningZendeskEmulator

beforeAll(async () => {
  running = await startZendeskEmulator()
})
afterAll(async () => {
  await running.close()
})
beforeEach(() => {
  running.emulator.reset()
  running.emulator.setExportLagSeconds(0)
})

function client(overrides: Partial<ZendeskClientOptions> = {}) {
  return createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER, sleep: fastForwardSleep(running.emulator).sleep, ...overrides })
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof IntegrationError)) throw new Error(`expected an IntegrationError, got ${String(error)}`)
  return error
}

function newTicket() {
  const { emulator } = running
  return emulator.createTicket({
    subject: 'Lost answers',
    comment: { body: 'Opening words', authorId: emulator.requester().id },
    requesterId: emulator.requester().id,
    clusterId: 'CL-1001',
  })
}

function commentsOf(ticketId: number): string[] {
  return (running.emulator.ticket(ticketId)?.comments ?? []).map((comment) => comment.body)
}

describe('Zendesk client when a write takes effect and its answer is lost', () => {
  it('posts the comment once and fails outcome_unknown when Zendesk saves it and a gateway answers 502', async () => {
    const ticket = newTicket()
    running.emulator.lostResponses.set({ next: 1, mode: 'bad_gateway' })
    const error = await failure(client().addComment(ticket.id, { body: 'Public reply', public: true }))
    expect(error).toMatchObject({ system: 'zendesk', code: 'outcome_unknown', retryable: true, status: 502 })
    expect(commentsOf(ticket.id)).toEqual(['Opening words', 'Public reply'])
    expect(running.emulator.counters()['PUT /api/v2/tickets/:id']).toBe(1)
  })

  it('posts the comment once and fails outcome_unknown when Zendesk saves it and the connection drops', async () => {
    const ticket = newTicket()
    running.emulator.lostResponses.set({ next: 1, mode: 'timeout', holdMs: 20 })
    const error = await failure(client().addComment(ticket.id, { body: 'Dropped', public: false }))
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: true })
    expect(commentsOf(ticket.id)).toEqual(['Opening words', 'Dropped'])
  })

  it('posts the comment once and fails outcome_unknown when Zendesk saves it but answers after the client timed out', async () => {
    const ticket = newTicket()
    running.emulator.lostResponses.set({ next: 1, mode: 'timeout', holdMs: 600 })
    const error = await failure(client({ timeoutMs: 100 }).addComment(ticket.id, { body: 'Slow', public: false }))
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: true, remoteMessage: expect.stringContaining('did not answer in time') })
    expect(commentsOf(ticket.id)).toEqual(['Opening words', 'Slow'])
  })

  it('sends the comment again when Zendesk refused it unprocessed with 503 or 429', async () => {
    const ticket = newTicket()
    running.emulator.setFaults({ failNext: { count: 2, status: 503 } })
    await client().addComment(ticket.id, { body: 'After the outage', public: false })
    running.emulator.setFaults({ failNext: { count: 1, status: 429 } })
    await client().addComment(ticket.id, { body: 'After the limit', public: false })
    expect(commentsOf(ticket.id)).toEqual(['Opening words', 'After the outage', 'After the limit'])
  })

  it('sends a custom-field update again when its answer is lost, since it sets absolute values', async () => {
    const ticket = newTicket()
    running.emulator.lostResponses.set({ next: 1, mode: 'bad_gateway' })
    const updated = await client().setCustomFields(ticket.id, { [running.emulator.clusterIdFieldId]: 'CL-2002' })
    expect(updated.customFields.find((field) => field.id === running.emulator.clusterIdFieldId)?.value).toBe('CL-2002')
    expect(running.emulator.counters()['PUT /api/v2/tickets/:id']).toBe(2)
  })

  it('creates the webhook once and fails outcome_unknown when its answer is lost', async () => {
    const before = running.emulator.state().webhooks.webhooks.size
    running.emulator.lostResponses.set({ next: 1, mode: 'bad_gateway' })
    const error = await failure(client().createWebhook({ name: 'PSA Link', endpoint: 'http://127.0.0.1:9/webhooks/zendesk' }))
    expect(error.code).toBe('outcome_unknown')
    expect(running.emulator.state().webhooks.webhooks.size).toBe(before + 1)
  })

  it('reuses the webhook a lost create made when the webhook is registered again', async () => {
    const input = { name: 'PSA Link', endpoint: 'http://127.0.0.1:9/webhooks/zendesk' }
    const before = running.emulator.state().webhooks.webhooks.size
    running.emulator.lostResponses.set({ next: 1, mode: 'timeout', holdMs: 20 })
    await failure(client().createWebhook(input))
    const again = await client().createWebhook(input)
    expect(running.emulator.state().webhooks.webhooks.size).toBe(before + 1)
    expect(running.emulator.state().webhooks.webhooks.has(again.id)).toBe(true)
    await client().createWebhook({ ...input, endpoint: 'http://127.0.0.1:9/webhooks/other' })
    expect(running.emulator.state().webhooks.webhooks.size).toBe(before + 2)
  })
})

describe('the Zendesk emulator lost-responses control', () => {
  async function control(method: string, body?: unknown) {
    const response = await fetch(`${running.baseUrl}/_control/lost-responses`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as { lost_responses: Record<string, unknown> } }
  }

  async function createTickets(count: number): Promise<number[]> {
    const statuses: number[] = []
    for (let index = 0; index < count; index += 1) {
      const response = await fetch(`${running.baseUrl}/api/v2/tickets.json`, {
        method: 'POST',
        headers: { authorization: 'Bearer sandbox-oauth-token', 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: { subject: `Seeded ${index}`, comment: { body: 'Hello' } } }),
      })
      await response.text()
      statuses.push(response.status)
    }
    return statuses
  }

  it('creates a ticket and answers 502 as a gateway would when a ticket create loses its answer', async () => {
    const before = running.emulator.tickets().length
    await control('PUT', { next: 1, mode: 'bad_gateway' })
    expect(await createTickets(1)).toEqual([502])
    expect(running.emulator.tickets()).toHaveLength(before + 1)
  })

  it('loses the same answers again when the same seed is set again', async () => {
    expect((await control('PUT', { rate: 0.5, mode: 'bad_gateway', seed: 777 })).body.lost_responses).toMatchObject({ rate: 0.5, seed: 777 })
    const first = await createTickets(12)
    await control('PUT', { seed: 777 })
    const second = await createTickets(12)
    expect(first).toEqual(second)
    expect(first).toContain(502)
    expect(first).toContain(201)
    await control('DELETE')
    expect((await control('GET')).body.lost_responses).toMatchObject({ rate: 0, next: 0, seed: 777 })
  })

  it('refuses an unknown mode when it is set', async () => {
    expect((await control('PUT', { mode: 'sometimes' })).status).toBe(400)
  })
})
