import type { NewAutotaskTicketEntity } from '../../../server/src/adapters/autotask/index'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import type { RestHarness } from '../autotask-rest/rest-harness'
import { startRestEmulator } from '../autotask-rest/rest-harness'

// Issue 14: a create Autotask saved whose answer was lost must not be sent again by the client:
// it fails `outcome_unknown` (retryable) and the engine looks the item up first. Both faces.
let harness: RestHarness

beforeEach(async () => {
  harness = await startRestEmulator()
})

afterEach(async () => {
  await harness.close()
})

async function accountOf(reference: string): Promise<number> {
  const [item] = await harness.client().findConfigurationItemsByReferenceNumbers([reference])
  return item?.accountId ?? 0
}

function makeTicket(accountId: number, externalId: string): NewAutotaskTicketEntity {
  return {
    title: 'Cluster CL-1001 is degraded',
    description: 'Disk 3 failed.',
    accountId,
    status: 1,
    priority: 2,
    queueId: 8,
    source: 4,
    ticketType: 1,
    externalId,
  }
}

async function rejection(promise: Promise<unknown>): Promise<IntegrationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof IntegrationError)) throw new Error(`expected an IntegrationError, got ${String(error)}`)
  return error
}

const clients = {
  soap: () => harness.soapClient({ timeoutMs: 2_000 }),
  rest: () => harness.client({ timeoutMs: 2_000 }),
}

describe.each(['soap', 'rest'] as const)('Autotask %s client when a write takes effect and its answer is lost', (transport) => {
  it.each(['bad_gateway', 'timeout'] as const)('creates the ticket once and fails outcome_unknown when the answer is lost as %s', async (mode) => {
    const client = clients[transport]()
    const accountId = await accountOf('CL-1001')
    harness.emulator.lostResponses.set({ next: 1, mode, holdMs: 20 })
    const error = await rejection(client.createTickets([makeTicket(accountId, `zd:1:lost-${mode}`)]))
    expect(error).toMatchObject({ system: 'autotask', code: 'outcome_unknown', retryable: true })
    expect(harness.emulator.lostResponses.settings().lost).toBe(1)
    expect(await client.findTicketsByExternalIds([`zd:1:lost-${mode}`])).toHaveLength(1)
    expect(harness.emulator.counters().byOperationAndEntity).toMatchObject({ 'create:Ticket': 1 })
  })

  it('creates the note once and fails outcome_unknown when the answer times out at the client', async () => {
    const client = transport === 'soap' ? harness.soapClient({ timeoutMs: 150 }) : harness.client({ timeoutMs: 150 })
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([makeTicket(accountId, 'zd:1:note-host')])
    if (!created?.ok) throw new Error('create failed')
    harness.emulator.lostResponses.set({ next: 1, mode: 'timeout', holdMs: 1_000 })
    const error = await rejection(
      client.createNotes([{ ticketId: created.entity.id, title: 'Zendesk #77: Ann', description: 'Rebooted.', noteType: 1, publish: 1 }]),
    )
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: true })
    expect((await client.findNotesByTicketIds([created.entity.id])).filter((note) => note.title === 'Zendesk #77: Ann')).toHaveLength(1)
  })

  it('reports the items after a lost answer as unknown too and writes none of them twice when a batch is under way', async () => {
    const client = clients[transport]()
    const accountId = await accountOf('CL-1001')
    const externalIds = Array.from({ length: 4 }, (_, index) => `zd:1:batch-${index}`)
    const tickets = externalIds.map((externalId) => makeTicket(accountId, externalId))
    harness.emulator.lostResponses.set({ rate: 1, mode: 'bad_gateway' })
    const error = await rejection(client.createTickets(tickets))
    harness.emulator.lostResponses.clear()
    expect(error.code).toBe('outcome_unknown')
    const saved = await client.findTicketsByExternalIds(externalIds)
    // Each ticket at most once: SOAP sends the batch in one call, REST stops starting new writes.
    expect(new Set(saved.map((ticket) => ticket.externalId)).size).toBe(saved.length)
    expect(saved.length).toBeGreaterThan(0)
  })

  it('keeps a refusal Autotask makes before saving anything as it is when the create meets an outage', async () => {
    const client = clients[transport]()
    const accountId = await accountOf('CL-1001')
    await client.findTicketsByIds([1])
    harness.emulator.setFaults({ outage: true })
    const error = await rejection(client.createTickets([makeTicket(accountId, 'zd:1:outage')]))
    expect(error).toMatchObject({ code: 'unavailable', status: 503, retryable: true })
  })
})

describe('the Autotask emulator lost-responses control', () => {
  async function control(body: unknown) {
    const response = await fetch(`${harness.baseUrl}/_control/lost-responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function pattern(): Promise<boolean[]> {
    const client = harness.client({ timeoutMs: 2_000 })
    const accountId = await accountOf('CL-1001')
    const lost: boolean[] = []
    for (let index = 0; index < 12; index += 1) {
      // Math.random only makes the ExternalID unique (an identifier, not a draw), so it needs no seed.
      const outcome = await client.createTickets([makeTicket(accountId, `zd:1:seeded-${index}-${Math.random()}`)]).then(
        () => false,
        (error: unknown) => error instanceof IntegrationError && error.code === 'outcome_unknown',
      )
      lost.push(outcome)
    }
    return lost
  }

  it('loses the same answers again when the same seed is set again', async () => {
    expect((await control({ rate: 0.5, mode: 'bad_gateway', seed: 4242 })).body).toMatchObject({ rate: 0.5, seed: 4242, lost: 0 })
    const first = await pattern()
    await control({ reset: true, rate: 0.5, mode: 'bad_gateway', seed: 4242 })
    const second = await pattern()
    expect(first).toEqual(second)
    expect(first.some(Boolean) && !first.every(Boolean)).toBe(true)
    expect((await (await fetch(`${harness.baseUrl}/_control/lost-responses`)).json()) as Record<string, unknown>).toMatchObject({
      seed: 4242,
      lost: first.filter(Boolean).length * 2,
    })
  })

  it('refuses a rate outside 0..1 when it is set', async () => {
    expect((await control({ rate: 2 })).status).toBe(400)
  })
})
