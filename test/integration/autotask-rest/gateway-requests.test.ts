import { allPages } from '../../helpers/all-pages'
import { createAutotaskSoapGateway } from '../../../server/src/adapters/autotask/soap/soap-gateway'
import { createAutotaskRestGateway } from '../../../server/src/adapters/autotask/rest/rest-gateway'
import type { GatewayMemoryOptions } from '../../../server/src/adapters/autotask/core/gateway-parts'
import type { AutotaskGateway, NewAutotaskTicket } from '../../../server/src/sync/ports/autotask-gateway'
import { startRestEmulator, type RestHarness } from './rest-harness'

// Fewer Autotask requests (issue 17), on both transports through the engine's gateway: read-backs
// pooled across write calls, PSA Link's own resource learned once, and PSA Link's own writes left
// out of the ticket scan without hiding a technician's edit.
let harness: RestHarness
beforeEach(async () => {
  harness = await startRestEmulator()
})
afterEach(async () => {
  await harness.close()
})

type Transport = 'soap' | 'rest'

function gatewayOn(transport: Transport, memory: GatewayMemoryOptions = {}): AutotaskGateway {
  return transport === 'soap'
    ? createAutotaskSoapGateway({ client: harness.soapClient({ zoneUrl: harness.soapUrl }), ...memory })
    : createAutotaskRestGateway({ client: harness.client({ zoneUrl: harness.restBase }), ...memory })
}

/** Requests the emulator answered since the last reset, by operation and entity. */
function requests(): Record<string, number> {
  return harness.emulator.counters().byOperationAndEntity
}

function newTickets(count: number): NewAutotaskTicket[] {
  const seeded = harness.emulator.seeded()!
  return Array.from({ length: count }, (_, index) => ({
    // Math.random only makes the ExternalID unique (an identifier, not a draw), so it needs no seed.
    externalId: `zd:1:${index}:${Math.random().toString(36).slice(2, 8)}`,
    title: `Ticket ${index}`,
    description: `Problem ${index}`,
    accountId: seeded.accountIds[0]!,
    installedProductId: null,
    status: 1,
    priority: 2,
    queueId: 8,
    sourceId: 4,
    ticketTypeId: 1,
    dueDateTime: new Date(Date.now() + 86_400_000),
  }))
}

const apiResourceId = () => harness.emulator.seeded()!.apiResourceId

describe('read-backs after creates', () => {
  it('reads 450 tickets created in three SOAP calls back with one query', async () => {
    const gateway = gatewayOn('soap', { ownResourceId: apiResourceId() })
    const tickets = newTickets(450)
    harness.emulator.resetCounters()
    const results = await gateway.createTickets(tickets)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(results.map((result) => (result.ok ? result.value.externalId : null))).toEqual(tickets.map((ticket) => ticket.externalId))
    expect(requests()).toEqual({ 'create:Ticket': 3, 'query:Ticket': 1 })
  })

  it('reads tickets created one call each over REST back with one query per 500', async () => {
    const gateway = gatewayOn('rest', { ownResourceId: apiResourceId() })
    const tickets = newTickets(30)
    harness.emulator.resetCounters()
    const results = await gateway.createTickets(tickets)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(requests()).toEqual({ 'create:Ticket': 30, 'query:Ticket': 1 })
  })
})

describe.each<Transport>(['soap', 'rest'])('on %s', (transport) => {
  it('looks PSA Link’s own resource up once and stores it when the connection does not know it yet', async () => {
    const learned: number[] = []
    const gateway = gatewayOn(transport, { ownResourceId: null, onOwnResourceLearned: (id) => void learned.push(id) })
    harness.emulator.resetCounters()
    expect(await gateway.ownResourceId()).toBe(apiResourceId())
    expect(await gateway.ownResourceId()).toBe(apiResourceId())
    await allPages(gateway.scanNotesChangedSince(new Date(Date.now() - 60_000)))
    expect(learned).toEqual([apiResourceId()])
    expect(requests()).toEqual({ 'query:Resource': 1, 'query:TicketNote': 1 })
  })

  it('corrects a stored own resource that PSA Link’s first created note contradicts, and reads no note after that', async () => {
    const learned: number[] = []
    const wrong = harness.emulator.seeded()!.technicianIds[0]!
    const gateway = gatewayOn(transport, { ownResourceId: wrong, onOwnResourceLearned: (id) => void learned.push(id) })
    const [created] = await gateway.createTickets(newTickets(1))
    const ticketId = created!.ok ? created!.value.id : 0
    await gateway.createNotes([{ ticketId, title: 'Zendesk #9: Ann', description: 'First', noteType: 1, publish: 1 }])
    expect(learned).toEqual([apiResourceId()])
    expect(await gateway.ownResourceId()).toBe(apiResourceId())
    harness.emulator.resetCounters()
    await gateway.createNotes([{ ticketId, title: 'Zendesk #10: Ann', description: 'Second', noteType: 1, publish: 1 }])
    expect(requests()).toEqual({ 'create:TicketNote': 1 })
  })

  it('asks Autotask nothing about its own resource when the connection has it stored', async () => {
    const gateway = gatewayOn(transport, { ownResourceId: apiResourceId() })
    harness.emulator.resetCounters()
    expect(await gateway.ownResourceId()).toBe(apiResourceId())
    expect(requests()).toEqual({})
  })

  it('leaves tickets out of the change scan when only PSA Link’s own create, update or note touched them', async () => {
    const gateway = gatewayOn(transport, { ownResourceId: apiResourceId() })
    const since = harness.emulator.now()
    const created = await gateway.createTickets(newTickets(3))
    const [first, second, third] = created.map((result) => (result.ok ? result.value.id : 0))
    await gateway.updateTickets([{ id: second!, changes: { title: 'Renamed by Zendesk' } }])
    await gateway.createNotes([{ ticketId: third!, title: 'Zendesk #7: Ann', description: 'A reply', noteType: 1, publish: 1 }])
    expect(await allPages(gateway.scanTicketsChangedSince(since))).toEqual([])

    // A technician's touch names the technician: the ticket comes back.
    harness.emulator.editTicket(first!, { Priority: 1 })
    expect((await allPages(gateway.scanTicketsChangedSince(since))).map((ticket) => ticket.id)).toEqual([first])
  })

  it('still returns a ticket whose description a technician edited just before PSA Link’s note touched it last', async () => {
    const gateway = gatewayOn(transport, { ownResourceId: apiResourceId() })
    const since = harness.emulator.now()
    const [created] = await gateway.createTickets(newTickets(1))
    const ticketId = created!.ok ? created!.value.id : 0
    // Within the same second: the technician's edit, then PSA Link's note (which Autotask then
    // shows as the ticket's last activity, by PSA Link's resource).
    harness.emulator.editTicket(ticketId, { Description: 'Edited by the technician' })
    await gateway.createNotes([{ ticketId, title: 'Zendesk #8: Ann', description: 'A reply', noteType: 1, publish: 1 }])
    const stored = harness.emulator.getTicket(ticketId)!
    expect(stored.fields.LastActivityResourceID).toBe(apiResourceId())

    const scanned = await allPages(gateway.scanTicketsChangedSince(since))
    expect(scanned.map((ticket) => [ticket.id, ticket.description])).toEqual([[ticketId, 'Edited by the technician']])
  })

  it('keeps every ticket in the scan while PSA Link’s own resource is unknown', async () => {
    const gateway = gatewayOn(transport, { ownResourceId: null })
    // The lookup finds no single resource: nothing may be left out.
    harness.emulator.database().records.Resource.delete(apiResourceId())
    const since = harness.emulator.now()
    await gateway.createTickets(newTickets(2))
    expect(await allPages(gateway.scanTicketsChangedSince(since))).toHaveLength(2)
  })
})
