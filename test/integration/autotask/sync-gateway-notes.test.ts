import type { EmulatorHarness } from './emulator-harness'
import { startEmulator } from './emulator-harness'
import { createAutotaskSoapGateway } from '../../../server/src/adapters/autotask/soap/soap-gateway'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { checkEnvelope, loadRealAtwsSchema } from './atws-schema'

let harness: EmulatorHarness
const realSchema = loadRealAtwsSchema()

beforeEach(async () => {
  harness = await startEmulator()
})

afterEach(async () => {
  const problems = harness.sentEnvelopes.flatMap((xml) => checkEnvelope(realSchema, xml))
  await harness.close()
  expect(problems).toEqual([])
})

async function newTicketId(): Promise<number> {
  const client = harness.client()
  const [product] = await client.findInstalledProductsByReferenceNumbers(['CL-1001'])
  const [ticket] = await client.createTickets([
    // Math.random only makes the ExternalID unique (an identifier, not a draw), so it needs no seed.
    {
      title: 'Disk failed',
      description: 'Disk 3.',
      accountId: product!.accountId,
      status: 1,
      priority: 2,
      queueId: 8,
      source: 4,
      ticketType: 1,
      externalId: `zd:1:${Math.random()}`,
    },
  ])
  if (!ticket?.ok) throw new Error('ticket create failed')
  return ticket.entity.id
}

const operations = () => harness.emulator.counters().byOperationAndEntity

describe('SOAP sync gateway: notes PSA Link writes', () => {
  it('creates 300 notes in two calls without reading them back, then one read learns its own creator', async () => {
    const ticketId = await newTicketId()
    const gateway = createAutotaskSoapGateway({ client: harness.client() })
    const since = harness.emulator.now()
    const notes = Array.from({ length: 300 }, (_, index) => ({
      ticketId,
      title: `Zendesk #${index}: Ann`,
      description: `Reply ${index}`,
      noteType: 3,
      publish: 1,
    }))
    harness.emulator.resetCounters()

    const first = await gateway.createNotes(notes.slice(0, 250))
    expect(first.every((result) => result.ok)).toBe(true)
    expect(operations()).toEqual({ 'create:TicketNote': 2, 'query:TicketNote': 1 })

    harness.emulator.resetCounters()
    const second = await gateway.createNotes(notes.slice(250))
    expect(second.every((result) => result.ok)).toBe(true)
    // The creator is known now: no read at all.
    expect(operations()).toEqual({ 'create:TicketNote': 1 })

    const ids = [...first, ...second].map((result) => (result.ok ? result.value.id : 0))
    const stored = await harness.client().findNotesByTicketIds([ticketId])
    expect(stored.map((note) => note.id)).toEqual(ids)

    harness.emulator.addTechnicianNote(ticketId, { title: 'Call', description: 'Called the customer' })
    const changed: string[] = []
    for await (const page of gateway.scanNotesChangedSince(since)) changed.push(...page.map((note) => note.title ?? ''))
    expect(changed).toEqual(['Call'])
  })

  it('still returns the new ids when the read that learns the creator fails', async () => {
    const ticketId = await newTicketId()
    const client = harness.client()
    const outage = new IntegrationError({ system: 'autotask', code: 'unavailable', retryable: true, remoteMessage: 'Service Unavailable' })
    const gateway = createAutotaskSoapGateway({ client: { ...client, findNotesByIds: () => Promise.reject(outage) } })
    const results = await gateway.createNotes([{ ticketId, title: 'Zendesk #1: Ann', description: 'Reply', noteType: 3, publish: 1 }])
    expect(results[0]?.ok).toBe(true)
    expect((await client.findNotesByTicketIds([ticketId])).map((note) => note.id)).toEqual([results[0]?.ok ? results[0].value.id : 0])
  })
})
