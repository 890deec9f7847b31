import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { RestHarness } from './rest-harness'
import { startRestEmulator } from './rest-harness'
import { inFlightTogether } from '../autotask/in-flight-together'
import { createInMemoryRequestGate } from '../../../server/src/adapters/autotask/index'
import type { AutotaskRequestGate, NewAutotaskTicketEntity, ZoneMove } from '../../../server/src/adapters/autotask/index'
import { until } from '../../helpers/until'
import { detectAutotaskTransport } from '../../../server/src/adapters/autotask/index'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { sandboxCredentials } from '../../../server/sandbox/src/autotask/index'

let harness: RestHarness

beforeEach(async () => {
  harness = await startRestEmulator()
})

afterEach(async () => {
  await harness.close()
})

const passThroughGate = { run: <T>(_entity: string, work: () => Promise<T>) => work(), usage: () => ({ requestsLastHour: 0, limit: 10_000 }) }

async function accountOf(reference: string): Promise<number> {
  const [item] = await harness.client().findConfigurationItemsByReferenceNumbers([reference])
  return item?.accountId ?? 0
}

function makeTicket(accountId: number, overrides: Partial<NewAutotaskTicketEntity> = {}): NewAutotaskTicketEntity {
  // Math.random only makes the ExternalID unique (an identifier, not a draw), so it needs no seed.
  return {
    title: 'Cluster CL-1001 is degraded',
    description: 'Disk 3 failed.',
    accountId,
    status: 1,
    priority: 2,
    queueId: 8,
    source: 4,
    ticketType: 1,
    externalId: `zd:1:${Math.random()}`,
    ...overrides,
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

describe('Autotask REST client against the emulator', () => {
  it('finds the zone, routes Cluster IDs case-insensitively and sees duplicates and inactive items when looking up reference numbers', async () => {
    const client = harness.client()
    const items = await client.findConfigurationItemsByReferenceNumbers(['cl-1001', 'CL-1004', 'CL-1005', 'CL-9999'])
    expect(client.zoneUrl).toBe(harness.restBase)
    expect(items.map((item) => item.referenceNumber)).toEqual(['CL-1001', 'CL-1004', 'CL-1005', 'CL-1005'])
    expect(items.find((item) => item.referenceNumber === 'CL-1004')?.active).toBe(false)
    expect(harness.emulator.counters()).toMatchObject({ byFace: { rest: 2 }, byOperation: { zoneInformation: 1, query: 1 } })
  })

  it('creates one ticket per call and reads it back by id and externalID with UTC times when the tickets are valid', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    harness.emulator.resetCounters()
    const due = new Date('2025-11-02T05:30:00Z')
    const results = await client.createTickets([
      makeTicket(accountId, { externalId: 'zd:1:100', dueDateTime: due, userDefinedFields: { 'Cluster ID': 'CL-1001' } }),
      makeTicket(accountId, { externalId: 'zd:1:101' }),
    ])
    const created = results[0]
    if (!created?.ok) throw new Error('create failed')
    expect(created.entity.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/)
    expect(created.entity.dueDateTime?.toISOString()).toBe(due.toISOString())
    expect(created.entity.userDefinedFields['Cluster ID']).toBe('CL-1001')
    expect(harness.emulator.counters().byOperationAndEntity).toEqual({ 'create:Ticket': 2, 'query:Ticket': 1 })
    expect((await client.findTicketsByExternalIds(['zd:1:100'])).map((ticket) => ticket.id)).toEqual([created.entity.id])
    const raw = await harness.raw('GET', `Tickets/${created.entity.id}`)
    const item = (raw.body as { item: Record<string, unknown> }).item
    expect(item).toMatchObject({ id: created.entity.id, companyID: accountId, dueDateTime: '2025-11-02T05:30:00.000Z', externalID: 'zd:1:100' })
    expect(String(item.createDate)).toMatch(/Z$/)
    expect((await harness.raw('GET', 'Tickets/1')).body).toEqual({ item: null })
  })

  it('fails only the bad items, in input order and with Autotask message in REST names, when some tickets are invalid', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const results = await client.createTickets([
      makeTicket(accountId, { externalId: 'zd:1:a' }),
      makeTicket(999, { externalId: 'zd:1:bad-account' }),
      makeTicket(accountId, { priority: 77, externalId: 'zd:1:bad-priority' }),
      makeTicket(accountId, { title: '', externalId: 'zd:1:no-title' }),
      makeTicket(accountId, { title: 'x'.repeat(256), externalId: 'zd:1:long-title' }),
      makeTicket(accountId, { externalId: 'zd:1:e' }),
    ])
    expect(
      results.map((result) =>
        result.ok ? result.entity.externalId : [result.error.code, result.error.retryable, result.error.status, result.error.remoteMessage],
      ),
    ).toEqual([
      'zd:1:a',
      ['rejected', false, 500, 'Value [999] does not exist for the reference field companyID. ; on record number [1].'],
      ['rejected', false, 500, 'Picklist value [77] does not exist for priority. ; on record number [1].'],
      ['rejected', false, 500, 'Value does not exist for the required field title. ; on record number [1].'],
      ['rejected', false, 500, 'Value for field title exceeds the maximum length of 255 characters. ; on record number [1].'],
      'zd:1:e',
    ])
    expect(harness.emulator.listTickets()).toHaveLength(2)
  })

  it('changes only the fields it sends and keeps a technician edit when patching a ticket', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([makeTicket(accountId)])
    if (!created?.ok) throw new Error('create failed')
    const technician = harness.emulator.seeded()?.technicianIds[1] ?? 0
    harness.emulator.editTicket(created.entity.id, { AssignedResourceID: technician, AssignedResourceRoleID: 5, Resolution: 'Swapped the disk' })
    harness.emulator.resetCounters()
    const [updated] = await client.patchTickets([{ id: created.entity.id, priority: 1, status: 8 }])
    if (!updated?.ok) throw new Error(`patch failed: ${updated?.ok === false ? updated.error.message : ''}`)
    expect(harness.emulator.counters().byOperationAndEntity).toEqual({ 'update:Ticket': 1, 'query:Ticket': 1 })
    expect(updated.entity).toMatchObject({ priority: 1, status: 8, description: 'Disk 3 failed.', queueId: 8 })
    expect(updated.entity.otherFields).toMatchObject({ resolution: 'Swapped the disk', assignedResourceID: technician })
    const [missing] = await client.patchTickets([{ id: 12345, priority: 1 }])
    expect(missing?.ok === false && missing.error.remoteMessage).toMatch(/No matching records found/)
  })

  it('creates notes under their ticket, moves the ticket and finds notes changed since a time when notes are added', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [ticket] = await client.createTickets([makeTicket(accountId)])
    if (!ticket?.ok) throw new Error('create failed')
    harness.emulator.setClockOffset(60_000)
    const since = harness.emulator.now()
    const results = await client.createNotes([
      { ticketId: ticket.entity.id, title: 'Zendesk #1: Ann', description: 'Public reply', noteType: 3, publish: 1 },
      { ticketId: ticket.entity.id, title: 'Zendesk #2: Ann', description: 'Internal', noteType: 99999, publish: 2 },
    ])
    expect(results[0]).toMatchObject({ ok: true, entity: { ticketId: ticket.entity.id, publish: 1 } })
    const [created] = await client.findNotesByIds([results[0]?.ok ? results[0].entity.id : 0])
    expect(created?.creatorResourceId).toBe(harness.emulator.seeded()?.apiResourceId)
    expect(results[1]?.ok === false && results[1].error.remoteMessage).toBe('Picklist value [99999] does not exist for noteType. ; on record number [1].')
    const technicianNote = harness.emulator.addTechnicianNote(ticket.entity.id, { title: 'Call', description: 'Called the customer' })
    const changed = await client.findNotesChangedSince(since, [ticket.entity.id])
    expect(changed.map((note) => note.title)).toEqual(['Zendesk #1: Ann', 'Call'])
    expect(changed[1]?.creatorResourceId).toBe(technicianNote.fields.CreatorResourceID)
    expect((await client.findTicketsChangedSince(since)).map((item) => item.id)).toEqual([ticket.entity.id])
    const topLevel = await harness.raw('POST', 'TicketNotes', { ticketID: ticket.entity.id, description: 'x', noteType: 3, publish: 1 })
    expect(topLevel.status).toBe(404)
  })

  it('leaves out notes of one creator, keeping notes without a creator, when a change scan asks', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [ticket] = await client.createTickets([makeTicket(accountId)])
    if (!ticket?.ok) throw new Error('create failed')
    const since = harness.emulator.now()
    const [own] = await client.createNotes([
      { ticketId: ticket.entity.id, title: 'Zendesk #9: Ann', description: 'Written by PSA Link', noteType: 3, publish: 1 },
    ])
    if (!own?.ok) throw new Error('note create failed')
    // Created notes come back with their ids only; a read shows the creator Autotask filled in.
    const [ownRead] = await client.findNotesByIds([own.entity.id])
    if (!ownRead || ownRead.creatorResourceId === null) throw new Error('the created note has no creator')
    harness.emulator.addTechnicianNote(ticket.entity.id, { title: 'Call', description: 'Technician' })
    const system = harness.emulator.addTechnicianNote(ticket.entity.id, { title: 'System', description: 'No creator' })
    harness.emulator.database().records.TicketNote.get(system.id)!.fields.CreatorResourceID = null
    const changed = await client.findNotesChangedSince(since, [ticket.entity.id], ownRead.creatorResourceId)
    expect(changed.map((note) => note.title).sort()).toEqual(['Call', 'System'])
  })

  it('pages through 1,210 rows by following nextPageUrl when more rows match than one page holds', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1002')
    const database = harness.emulator.database()
    for (let index = 0; index < 1_203; index += 1)
      database.insert('InstalledProduct', { AccountID: accountId, Active: true, ProductID: 1, ReferenceNumber: `BULK-${index}` })
    harness.emulator.resetCounters()
    const items = await client.listConfigurationItems()
    expect(items.length).toBe(1_210)
    expect(new Set(items.map((item) => item.id)).size).toBe(1_210)
    expect(items.map((item) => item.id)).toEqual([...items.map((item) => item.id)].sort((a, b) => a - b))
    expect(harness.emulator.counters().byOperation.query).toBe(3)
    const body = { filter: [{ op: 'exist', field: 'referenceNumber' }], MaxRecords: 500 }
    const first = await harness.raw('POST', 'ConfigurationItems/query', body)
    const details = (first.body as { pageDetails: { count: number; nextPageUrl: string } }).pageDetails
    expect(details.count).toBe(500)
    expect(details.nextPageUrl.startsWith(harness.restBase)).toBe(true)
    expect((await harness.raw('GET', details.nextPageUrl)).status).toBe(405)
    const second = await harness.raw('POST', details.nextPageUrl, body)
    expect((second.body as { items: Array<{ id: number }> }).items[0]?.id).toBe(items[500]?.id)
    expect(await harness.raw('POST', 'ConfigurationItems/query/count', body)).toMatchObject({ body: { queryCount: 1_210 } })
    const tooMany = await harness.raw('POST', 'ConfigurationItems/query', { ...body, MaxRecords: 501 })
    expect(tooMany).toMatchObject({ status: 500, body: { errors: ['maxCountOfRecordsToReturn must be between 1 and 500'] } })
  })

  it('looks the zone up once and carries on in the new zone when Autotask moves the tenant between two pages', async () => {
    const moves: ZoneMove[] = []
    const client = harness.client({ zoneUrl: harness.restBase, onZoneMoved: (move) => void moves.push(move) })
    const accountId = await accountOf('CL-1002')
    for (let index = 0; index < 600; index += 1)
      harness.emulator.database().insert('InstalledProduct', { AccountID: accountId, Active: true, ProductID: 1, ReferenceNumber: `MOVING-${index}` })
    harness.emulator.resetCounters()
    harness.emulator.moveToZone('29', 'demo', 1)
    expect((await client.listConfigurationItems()).length).toBe(607)
    const movedBase = harness.restBase.replace('/ATServicesRest/', '/zones/29/ATServicesRest/')
    expect(moves).toEqual([{ from: harness.restBase, to: movedBase }])
    expect(client.zoneUrl).toBe(movedBase)
    const counters = harness.emulator.counters()
    expect(counters.byOperation.zoneInformation).toBe(1)
    expect(counters.rejected.movedZone).toBe(1)
    const old = await harness.raw('POST', 'ConfigurationItems/query', { filter: [{ op: 'gte', field: 'id', value: 0 }] })
    expect(old).toMatchObject({ status: 500, body: { errors: ['Zone information could not be determined'] } })
  })

  it('continues by id when a nextPageUrl points away from the zone', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1002')
    for (let index = 0; index < 700; index += 1)
      harness.emulator.database().insert('InstalledProduct', { AccountID: accountId, Active: true, ProductID: 1, ReferenceNumber: `ELSEWHERE-${index}` })
    const elsewhere = await harness.raw('POST', 'ConfigurationItems/query', { filter: [{ op: 'beginsWith', field: 'referenceNumber', value: 'ELSEWHERE-' }] })
    const nextPageUrl = (elsewhere.body as { pageDetails: { nextPageUrl: string } }).pageDetails.nextPageUrl
    const original = globalThis.fetch
    const seen: string[] = []
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      seen.push(String(input))
      const response = await original(input, init)
      if (!String(input).includes('/ConfigurationItems/query')) return response
      const text = await response.text()
      return new Response(text.replace(/"nextPageUrl":"http:\/\/127\.0\.0\.1:\d+/g, '"nextPageUrl":"https://elsewhere.example'), {
        status: response.status,
        headers: response.headers,
      })
    })
    try {
      expect(nextPageUrl).toContain('/query/next?paging=')
      expect((await client.listConfigurationItems()).length).toBe(707)
    } finally {
      spy.mockRestore()
    }
    expect(seen.every((url) => url.startsWith(harness.baseUrl))).toBe(true)
  })

  it('reads picklists once per client and entity, with the field metadata, when asked twice', async () => {
    const client = harness.client()
    const first = await client.getPicklists('Tickets')
    expect(await client.getPicklists('Tickets')).toBe(first)
    expect(first.priority?.map((entry) => [entry.value, entry.label])).toEqual([
      [1, 'High'],
      [2, 'Medium'],
      [3, 'Low'],
      [4, 'Critical'],
    ])
    expect(first.status?.find((entry) => entry.value === 14)?.isActive).toBe(false)
    expect(harness.emulator.counters().byOperation.entityInformation).toBe(1)
    expect((await client.getPicklists('TicketNotes')).publish?.map((entry) => entry.label)).toEqual([
      'All Autotask Users',
      'Internal Project Team',
      'Internal & Co-Managed',
    ])
    const fields = await client.getFieldInfo('TicketNotes')
    expect(fields.find((item) => item.name === 'description')).toMatchObject({ length: 32000, isRequired: true, type: 'string' })
    expect(fields.find((item) => item.name === 'createDateTime')).toMatchObject({ isReadOnly: true, type: 'datetime' })
  })

  it('reads companies, resources and the threshold usage when asked by id', async () => {
    const client = harness.client()
    const seeded = harness.emulator.seeded()
    expect((await client.findCompaniesByIds(seeded?.accountIds ?? [])).map((company) => company.accountName)).toEqual([
      'Northwind Traders',
      'Contoso Pharmaceuticals',
      'Fabrikam Robotics',
    ])
    expect((await client.findResourcesByIds([seeded?.apiResourceId ?? 0]))[0]).toMatchObject({ email: 'api@demo.test', firstName: 'PSA Link' })
    expect(await client.getThresholdInformation()).toEqual({ threshold: 10_000, timeframeMinutes: 60, requestsInTimeframe: 3 })
  })

  it('uses the non-default picklists and reports the category-required field when talking to the alternate database', async () => {
    const client = harness.client({ username: 'api@alt.test' })
    expect((await client.getPicklists('Tickets')).priority?.map((entry) => entry.value)).toEqual([11, 12, 13, 15])
    const [item] = await client.findConfigurationItemsByReferenceNumbers(['CL-1001'])
    const accountId = item?.accountId ?? 0
    const results = await client.createTickets([
      { title: 'Default ids', accountId, status: 1, priority: 2, queueId: 301, otherFields: { issueType: 31 } },
      { title: 'Tenant ids, no issue type', accountId, status: 1, priority: 13, queueId: 301 },
      { title: 'Tenant ids', accountId, status: 1, priority: 13, queueId: 301, otherFields: { issueType: 31 } },
    ])
    expect(results.map((result) => (result.ok ? 'ok' : result.error.remoteMessage))).toEqual([
      'Picklist value [2] does not exist for priority. ; on record number [1].',
      'Value does not exist for the required field issueType. ; on record number [1].',
      'ok',
    ])
  })

  it('fails with a non-retryable auth error when Autotask answers the wrong secret with an empty 401', async () => {
    const error = await rejection(harness.client({ secret: 'wrong' }).findTicketsByIds([1]))
    expect(error).toMatchObject({ system: 'autotask', code: 'auth', retryable: false, status: 401 })
    const raw = await harness.raw('POST', 'Tickets/query', { filter: [{ op: 'gte', field: 'id', value: 0 }] }, { Secret: 'wrong' })
    expect(raw.status).toBe(401)
    expect(raw.body).toBe('')
    expect(harness.emulator.counters().rejected.auth).toBe(2)
  })

  it('fails with a non-retryable auth error when Autotask does not know the user', async () => {
    const lookup = await rejection(harness.client({ username: 'nobody@demo.test' }).findTicketsByIds([1]))
    expect(lookup).toMatchObject({ code: 'auth', retryable: false })
    const known = await rejection(harness.client({ username: 'nobody@demo.test', zoneUrl: harness.restBase }).findTicketsByIds([1]))
    expect(known).toMatchObject({ code: 'auth', retryable: false, status: 401 })
  })

  it('refuses a request without ApiIntegrationCode and reports a wrong one as an integration code error', async () => {
    const missing = await harness.raw('POST', 'Tickets/query', { filter: [{ op: 'gte', field: 'id', value: 0 }] }, { ApiIntegrationCode: undefined })
    expect(missing).toMatchObject({ status: 500, body: { errors: ['IntegrationCode is invalid.'] } })
    expect(await rejection(harness.client({ integrationCode: '' }).findTicketsByIds([1]))).toMatchObject({ code: 'integration_code', retryable: false })
    const wrong = await rejection(harness.client({ integrationCode: 'NOT0A0REAL0CODE' }).findTicketsByIds([1]))
    expect(wrong).toMatchObject({ code: 'integration_code', retryable: false, status: 500 })
    expect(harness.emulator.counters().rejected.integrationCode).toBe(2)
  })

  it('fails the 4th concurrent request for one entity with a retryable thread threshold error (HTTP 429)', async () => {
    const client = harness.client({ gate: passThroughGate })
    await client.getThresholdInformation()
    const outcomes = await inFlightTogether(harness.emulator, () => [1, 2, 3, 4].map((id) => client.findTicketsByIds([id])))
    const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.reason).toMatchObject({ code: 'thread_threshold', retryable: true, status: 429 })
    expect((rejected[0]?.reason as IntegrationError).retryAfterSeconds).toBeGreaterThan(0)
  })

  it('shares the three thread slots per entity with the SOAP face', async () => {
    const rest = harness.client({ gate: passThroughGate })
    const soap = harness.soapClient({ gate: passThroughGate })
    await Promise.all([rest.getThresholdInformation(), soap.getThresholdAndUsageInfo()])
    const outcomes = await inFlightTogether(harness.emulator, () => [
      soap.findTicketsByIds([1]),
      soap.findTicketsByIds([2]),
      rest.findTicketsByIds([3]),
      rest.findTicketsByIds([4]),
    ])
    const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    expect(rejected.map((outcome) => (outcome.reason as IntegrationError).code)).toEqual(['thread_threshold'])
    expect(harness.emulator.counters().rejected.threadThreshold).toBe(1)
  })

  it('never exceeds three requests in flight per entity when the client has its own gate', async () => {
    const client = harness.client({ gate: createInMemoryRequestGate({ hourlyLimit: 10_000 }) })
    await client.getThresholdInformation()
    harness.emulator.setFaults({ latencyMs: 100 })
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((id) => client.findTicketsByIds([id])))
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true)
    expect(harness.emulator.counters().rejected.threadThreshold).toBeUndefined()
  })

  it('fails with a retryable hourly threshold error (HTTP 429) once SOAP and REST together spend the hour', async () => {
    const rest = harness.client()
    const soap = harness.soapClient()
    await rest.getThresholdInformation()
    await soap.getThresholdAndUsageInfo()
    expect((await rest.getThresholdInformation()).requestsInTimeframe).toBe(3)
    harness.emulator.setFaults({ hourlyLimit: 4 })
    await soap.findTicketsByIds([1])
    const error = await rejection(rest.findTicketsByIds([2]))
    expect(error).toMatchObject({ code: 'hourly_threshold', retryable: true, status: 429 })
    expect(error.retryAfterSeconds).toBeGreaterThan(0)
    harness.emulator.setClockOffset(61 * 60 * 1000)
    await expect(rest.findTicketsByIds([3])).resolves.toEqual([])
  })

  it('returns a retryable unknown outcome and does not resend when a create outlives the timeout', async () => {
    const client = harness.client({ timeoutMs: 200 })
    const accountId = await accountOf('CL-1001')
    harness.emulator.setFaults({ latencyMs: 600 })
    const error = await rejection(client.createTickets([makeTicket(accountId, { externalId: 'zd:1:slow' })]))
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: true })
    expect(harness.emulator.counters().byOperationAndEntity['create:Ticket']).toBe(1)
    await vi.waitFor(() => expect(harness.emulator.listTickets().some((ticket) => ticket.fields.ExternalID === 'zd:1:slow')).toBe(true))
    harness.emulator.setFaults({ latencyMs: 0 })
    expect((await client.findTicketsByExternalIds(['zd:1:slow'])).length).toBe(1)
  })

  it('fails with a retryable unavailable error honouring Retry-After during an outage and recovers after it', async () => {
    const client = harness.client()
    await client.getThresholdInformation()
    harness.emulator.setFaults({ outage: true })
    const error = await rejection(client.findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'unavailable', retryable: true, status: 503, retryAfterSeconds: 30 })
    harness.emulator.setFaults({ outage: false })
    await expect(client.findTicketsByIds([1])).resolves.toEqual([])
  })

  it('fails with a retryable unavailable error when the emulator injects server errors', async () => {
    const client = harness.client()
    await client.getThresholdInformation()
    harness.emulator.setFaults({ errorRate: 1 })
    expect(await rejection(client.findTicketsByIds([1]))).toMatchObject({ code: 'unavailable', retryable: true, status: 500 })
  })

  it('fails with a retryable network error when nothing listens', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
    const error = await rejection(harness.client({ zoneUrl: `http://127.0.0.1:${closed}/ATServicesRest/V1.0/` }).findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  it('starts no more writes after a request error and reports it for every item not written', async () => {
    // Client-side completions of ticket creates, seen through the request gate every call passes.
    const inner = createInMemoryRequestGate({ hourlyLimit: 10_000 })
    let createsAnswered = 0
    const gate: AutotaskRequestGate = {
      usage: () => inner.usage(),
      run: (entity, work) => inner.run(entity, () => (entity === 'Tickets' ? work().finally(() => (createsAnswered += 1)) : work())),
    }
    const client = harness.client({ gate })
    await client.getThresholdInformation()
    const accountId = await accountOf('CL-1001')
    let creates = 0
    const original = harness.emulator.admit
    harness.emulator.admit = (database, code, entity, method) => {
      if (method === 'create') creates += 1
      if (method === 'create' && creates === 2)
        return { kind: 'thread', message: 'Thread Threshold Exceeded - The Autotask API thread threshold of 3 threads has been exceeded. Method: create' }
      return original(database, code, entity, method)
    }
    const hold = harness.emulator.holdRequests()
    let results: Awaited<ReturnType<typeof client.createTickets>>
    try {
      const writing = client.createTickets(Array.from({ length: 9 }, (_, index) => makeTicket(accountId, { externalId: `zd:1:s${index}` })))
      // The three lanes' first creates are in flight together: the second to arrive is refused at
      // once, the other two wait in the emulator until the client has read the refusal.
      await until(
        () => ({ held: hold.waiting(), answered: createsAnswered }),
        (seen) => seen.held >= 2 && seen.answered >= 1,
        'two creates held and the refusal read',
      )
      hold.release()
      results = await writing
    } finally {
      hold.release()
      harness.emulator.admit = original
    }
    const codes = results.map((result) => (result.ok ? 'ok' : result.error.code))
    // By hand: 9 tickets in three lanes (index mod 3), so tickets 0, 1 and 2 are the three creates in
    // flight. One is refused; the two held are written; nothing new starts after the refusal, so
    // the other 7 report it and the emulator saw exactly 3 creates.
    expect(creates).toBe(3)
    expect(codes.slice(0, 3).filter((code) => code === 'ok')).toHaveLength(2)
    expect(codes.slice(0, 3).filter((code) => code === 'thread_threshold')).toHaveLength(1)
    expect(codes.slice(3)).toEqual(Array.from({ length: 6 }, () => 'thread_threshold'))
  })
})

describe('transport detection', () => {
  const credentials = {
    username: sandboxCredentials.userName,
    secret: sandboxCredentials.secret,
    integrationCode: sandboxCredentials.integrationCode,
    timeoutMs: 5_000,
  }

  it('answers rest with the zone when the tenant answers REST', async () => {
    const found = await detectAutotaskTransport({ ...credentials, restZoneLookupUrl: harness.zoneLookupUrl, soapZoneLookupUrl: harness.soapUrl })
    expect(found).toMatchObject({ ok: true, transport: 'rest', zoneUrl: harness.restBase, usage: { threshold: 10_000 } })
    expect(harness.emulator.counters().byFace.soap).toBeUndefined()
  })

  it('falls back to soap when REST does not answer', async () => {
    const found = await detectAutotaskTransport({
      ...credentials,
      restZoneLookupUrl: `${harness.baseUrl}/no-rest-here/zoneInformation`,
      soapZoneLookupUrl: harness.soapUrl,
    })
    expect(found).toMatchObject({ ok: true, transport: 'soap', zoneUrl: harness.soapUrl, restError: { code: 'auth' } })
  })

  it('reports both errors when neither API accepts the credentials', async () => {
    const found = await detectAutotaskTransport({
      ...credentials,
      secret: 'wrong',
      restZoneLookupUrl: harness.zoneLookupUrl,
      soapZoneLookupUrl: harness.soapUrl,
    })
    expect(found).toMatchObject({ ok: false, rest: { code: 'auth', status: 401 }, soap: { code: 'auth', status: 401 } })
  })
})
