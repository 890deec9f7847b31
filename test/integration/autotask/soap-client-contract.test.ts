import type { EmulatorHarness } from './emulator-harness'
import { startEmulator } from './emulator-harness'
import { inFlightTogether } from './in-flight-together'
import { createInMemoryRequestGate } from '../../../server/src/adapters/autotask/index'
import type { AutotaskTicketEntity, NewAutotaskTicketEntity } from '../../../server/src/adapters/autotask/index'
import type { ZoneMove } from '../../../server/src/adapters/autotask/index'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { checkEnvelope, loadRealAtwsSchema } from './atws-schema'

let harness: EmulatorHarness
// Autotask's real WSDL: every envelope the client sends in these tests must conform to its schema.
const realSchema = loadRealAtwsSchema()

beforeEach(async () => {
  harness = await startEmulator()
})

afterEach(async () => {
  const problems = harness.sentEnvelopes.flatMap((xml, index) => checkEnvelope(realSchema, xml).map((problem) => `envelope ${index + 1}: ${problem}`))
  await harness.close()
  expect(problems).toEqual([])
})

function accountOf(reference: string) {
  return harness
    .client()
    .findInstalledProductsByReferenceNumbers([reference])
    .then((products) => products[0]?.accountId ?? 0)
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

describe('Autotask SOAP client against the emulator', () => {
  it('finds the zone, routes Cluster IDs case-insensitively and sees duplicates and inactive products when looking up references', async () => {
    const client = harness.client()
    const products = await client.findInstalledProductsByReferenceNumbers(['cl-1001', 'CL-1004', 'CL-1005', 'CL-9999'])
    expect(client.zoneUrl).toBe(harness.soapUrl)
    expect(products.map((product) => product.referenceNumber)).toEqual(['CL-1001', 'CL-1004', 'CL-1005', 'CL-1005'])
    expect(products.find((product) => product.referenceNumber === 'CL-1004')?.active).toBe(false)
    expect(harness.emulator.counters().byOperation).toMatchObject({ getZoneInfo: 1, query: 1 })
  })

  it('creates tickets with generated numbers and reads them back by id and ExternalID when the batch is valid', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const due = new Date('2025-11-02T05:30:00Z')
    const results = await client.createTickets([
      makeTicket(accountId, { externalId: 'zd:1:100', dueDateTime: due, userDefinedFields: { 'Cluster ID': 'CL-1001' } }),
    ])
    const created = results[0]
    if (!created?.ok) throw new Error('create failed')
    expect(created.entity.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/)
    expect(created.entity.dueDateTime?.toISOString()).toBe(due.toISOString())
    expect(created.entity.userDefinedFields['Cluster ID']).toBe('CL-1001')
    const byExternalId = await client.findTicketsByExternalIds(['zd:1:100'])
    expect(byExternalId.map((ticket) => ticket.id)).toEqual([created.entity.id])
    expect((await client.findTicketsByIds([created.entity.id]))[0]?.title).toBe('Cluster CL-1001 is degraded')
  })

  it('splits a rejected batch so the good tickets are saved and each bad one carries Autotask message when some are invalid', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const tickets = Array.from({ length: 205 }, (_, index) => makeTicket(accountId, { externalId: `zd:1:b${index}` }))
    tickets[3] = makeTicket(999, { externalId: 'zd:1:bad-account' })
    tickets[150] = makeTicket(accountId, { priority: 77, externalId: 'zd:1:bad-priority' })
    tickets[204] = makeTicket(accountId, { title: '', externalId: 'zd:1:no-title' })
    const results = await client.createTickets(tickets)
    expect(results).toHaveLength(205)
    expect(results.filter((result) => result.ok)).toHaveLength(202)
    const failures = results.flatMap((result, index) =>
      result.ok ? [] : [{ index, code: result.error.code, message: result.error.remoteMessage, retryable: result.error.retryable }],
    )
    expect(failures).toEqual([
      { index: 3, code: 'rejected', retryable: false, message: 'Value [999] does not exist for the reference field AccountID. ; on record number [1].' },
      { index: 150, code: 'rejected', retryable: false, message: 'Picklist value [77] does not exist for Priority. ; on record number [1].' },
      { index: 204, code: 'rejected', retryable: false, message: 'Value does not exist for the required field Title. ; on record number [1].' },
    ])
    results.forEach((result, index) => {
      if (result.ok) expect(result.entity.externalId).toBe(`zd:1:b${index}`)
    })
    expect(harness.emulator.listTickets()).toHaveLength(202)
    expect(harness.emulator.counters().byOperationAndEntity['create:Ticket']).toBeLessThanOrEqual(8)
  })

  it('keeps a technician field and clears nothing when updating a freshly read whole ticket', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([makeTicket(accountId)])
    if (!created?.ok) throw new Error('create failed')
    harness.emulator.editTicket(created.entity.id, {
      AssignedResourceID: harness.emulator.seeded()?.technicianIds[1] ?? 0,
      AssignedResourceRoleID: 5,
      Resolution: 'Swapped the disk',
    })
    const [fresh] = await client.findTicketsByIds([created.entity.id])
    if (!fresh) throw new Error('not found')
    const [updated] = await client.updateTickets([{ ...fresh, priority: 1, status: 8 }])
    if (!updated?.ok) throw new Error(`update failed: ${updated?.ok === false ? updated.error.message : ''}`)
    expect(updated.entity.priority).toBe(1)
    expect(updated.entity.otherFields.Resolution).toBe('Swapped the disk')
    expect(updated.entity.otherFields.AssignedResourceID).toBe(harness.emulator.seeded()?.technicianIds[1])
    expect(updated.entity.description).toBe('Disk 3 failed.')
  })

  it('clears writable fields that an update leaves out when the caller sends a partial ticket', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([makeTicket(accountId)])
    if (!created?.ok) throw new Error('create failed')
    const partial: AutotaskTicketEntity = { ...created.entity, description: '', queueId: null, otherFields: {} }
    const [updated] = await client.updateTickets([partial])
    if (!updated?.ok) throw new Error('update failed')
    expect(updated.entity.queueId).toBeNull()
    expect(updated.entity.description).toBe('')
    expect(updated.entity.createDate?.getTime()).toBe(created.entity.createDate?.getTime())
  })

  it('creates notes, moves the ticket LastActivityDate and finds notes changed since a time when a note is added', async () => {
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
    expect(results[0]?.ok).toBe(true)
    expect(results[1]?.ok === false && results[1].error.remoteMessage).toBe('Picklist value [99999] does not exist for NoteType. ; on record number [1].')
    const technicianNote = harness.emulator.addTechnicianNote(ticket.entity.id, { title: 'Call', description: 'Called the customer' })
    const changed = await client.findNotesChangedSince(since, [ticket.entity.id])
    expect(changed.map((note) => note.title)).toEqual(['Zendesk #1: Ann', 'Call'])
    expect(changed[1]?.creatorResourceId).toBe(technicianNote.fields.CreatorResourceID)
    expect((await client.findNotesByTicketIds([ticket.entity.id])).length).toBe(2)
    const tickets = await client.findTicketsChangedSince(since)
    expect(tickets.map((item) => item.id)).toEqual([ticket.entity.id])
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

  it('pages past 500 rows by id when more rows match than one query returns', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1002')
    const database = harness.emulator.database()
    for (let index = 0; index < 1_203; index += 1)
      database.insert('InstalledProduct', { AccountID: accountId, Active: true, ProductID: 1, ReferenceNumber: `BULK-${index}` })
    harness.emulator.resetCounters()
    const products = await client.listInstalledProducts()
    expect(products.length).toBe(1_210)
    expect(products.map((product) => product.id)).toEqual([...products.map((product) => product.id)].sort((a, b) => a - b))
    expect(harness.emulator.counters().byOperation.query).toBe(3)
    const after = await client.listInstalledProducts({ afterId: products[1_199]?.id ?? 0 })
    expect(after).toHaveLength(10)
    const references = products.slice(0, 750).map((product) => product.referenceNumber.toLowerCase())
    harness.emulator.resetCounters()
    // 749 distinct references (CL-1005 twice): 500 + 249 OR conditions, the first needing a second page.
    expect((await client.findInstalledProductsByReferenceNumbers(references)).length).toBe(750)
    expect(harness.emulator.counters().byOperation.query).toBe(3)
  })

  it('reads 1,000 tickets by id in two queries of 500 ids when every page comes back full', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const created = await client.createTickets(Array.from({ length: 1_000 }, (_, index) => makeTicket(accountId, { title: `Bulk ${index}` })))
    const ids = created.flatMap((result) => (result.ok ? [result.entity.id] : []))
    expect(ids).toHaveLength(1_000)
    harness.emulator.resetCounters()
    // Ids are unique: a full page of 500 is every row its 500 ids can match, no empty follow-up query.
    expect(await client.findTicketsByIds(ids)).toHaveLength(1_000)
    expect(harness.emulator.counters().byOperation.query).toBe(2)
  })

  it('finds exactly the matching record when the value is full of markup, CDATA ends, quotes and non-Latin text', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const hostile = `Fan <b>&amp; "PSU" ]]> l'été — 東京 ✓ Ωмега`
    const results = await client.createTickets([
      makeTicket(accountId, { title: hostile, externalId: 'zd:1:hostile' }),
      makeTicket(accountId, { title: hostile.slice(0, -1), externalId: 'zd:1:near' }),
      makeTicket(accountId, { title: 'Fan <b>', externalId: 'zd:1:prefix' }),
    ])
    expect(results.every((result) => result.ok)).toBe(true)
    const found = await client.findTicketsByExternalIds(['zd:1:hostile'])
    expect(found.map((ticket) => ticket.title)).toEqual([hostile])
    const byTitle = harness.emulator.database().query('Ticket', { kind: 'test', field: 'Title', udf: false, operator: 'equals', value: hostile })
    expect(byTitle).toHaveLength(1)
  })

  it('reads picklists once per client and entity when asked twice', async () => {
    const client = harness.client()
    const first = await client.getPicklists('Ticket')
    const second = await client.getPicklists('Ticket')
    expect(second).toBe(first)
    expect(first.Priority?.map((entry) => [entry.value, entry.label])).toEqual([
      [1, 'High'],
      [2, 'Medium'],
      [3, 'Low'],
      [4, 'Critical'],
    ])
    expect(first.Status?.find((entry) => entry.value === 14)?.isActive).toBe(false)
    expect(first.Priority?.find((entry) => entry.isDefault)?.value).toBe(2)
    expect(harness.emulator.counters().byOperation.GetFieldInfo).toBe(1)
    const notes = await client.getPicklists('TicketNote')
    expect(notes.Publish?.map((entry) => entry.label)).toEqual(['All Autotask Users', 'Internal Project Team', 'Internal & Co-Managed'])
    const fields = await client.getFieldInfo('TicketNote')
    expect(fields.find((item) => item.name === 'Description')).toMatchObject({ length: 32000, isRequired: true, type: 'string' })
  })

  it('reads accounts, resources and usage when asked by id', async () => {
    const client = harness.client()
    const seeded = harness.emulator.seeded()
    const accounts = await client.findAccountsByIds(seeded?.accountIds ?? [])
    expect(accounts.map((account) => account.accountName)).toEqual(['Northwind Traders', 'Contoso Pharmaceuticals', 'Fabrikam Robotics'])
    const resources = await client.findResourcesByIds([seeded?.apiResourceId ?? 0])
    expect(resources[0]).toMatchObject({ email: 'api@demo.test', firstName: 'PSA Link' })
    const usage = await client.getThresholdAndUsageInfo()
    expect(usage).toEqual({ threshold: 10_000, timeframeMinutes: 60, requestsInTimeframe: 3 })
  })

  it('uses the non-default picklists and reports the category-required field when talking to the alternate database', async () => {
    const client = harness.client({ username: 'api@alt.test' })
    const picklists = await client.getPicklists('Ticket')
    expect(picklists.Priority?.map((entry) => entry.value)).toEqual([11, 12, 13, 15])
    const [product] = await client.findInstalledProductsByReferenceNumbers(['CL-1001'])
    const results = await client.createTickets([
      { title: 'Default ids', accountId: product?.accountId ?? 0, status: 1, priority: 2, queueId: 301, otherFields: { IssueType: 31 } },
      { title: 'Tenant ids, no issue type', accountId: product?.accountId ?? 0, status: 1, priority: 13, queueId: 301 },
      { title: 'Tenant ids', accountId: product?.accountId ?? 0, status: 1, priority: 13, queueId: 301, otherFields: { IssueType: 31 } },
    ])
    expect(results.map((result) => (result.ok ? 'ok' : result.error.remoteMessage))).toEqual([
      'Picklist value [2] does not exist for Priority. ; on record number [1].',
      'Value does not exist for the required field IssueType. ; on record number [1].',
      'ok',
    ])
  })

  it('fails with a non-retryable auth error and no SOAP body when the secret is wrong', async () => {
    const error = await rejection(harness.client({ secret: 'wrong' }).findTicketsByIds([1]))
    expect(error).toMatchObject({ system: 'autotask', code: 'auth', retryable: false, status: 401 })
    expect(harness.emulator.counters().rejected.auth).toBe(1)
  })

  it('fails with an integration code error when the IntegrationCode is missing or wrong', async () => {
    const missing = await rejection(harness.client({ integrationCode: '' }).findTicketsByIds([1]))
    expect(missing).toMatchObject({ code: 'integration_code', retryable: false })
    const wrong = await rejection(harness.client({ integrationCode: 'NOT0A0REAL0CODE' }).findTicketsByIds([1]))
    expect(wrong).toMatchObject({ code: 'integration_code', retryable: false, remoteMessage: 'IntegrationCode is invalid.' })
    const fieldInfo = await rejection(harness.client({ integrationCode: 'NOT0A0REAL0CODE' }).getFieldInfo('Ticket'))
    expect(fieldInfo).toMatchObject({ code: 'integration_code', retryable: false })
  })

  it.each(['atws-error', 'soap-fault'] as const)(
    'fails the 4th concurrent request for one entity with a retryable thread threshold error when the emulator answers as %s',
    async (style) => {
      const gate = { run: <T>(_entity: string, work: () => Promise<T>) => work(), usage: () => ({ requestsLastHour: 0, limit: 10_000 }) }
      const client = harness.client({ gate })
      await client.getThresholdAndUsageInfo()
      harness.emulator.setFaults({ thresholdErrorStyle: style })
      const outcomes = await inFlightTogether(harness.emulator, () => [1, 2, 3, 4].map((id) => client.findTicketsByIds([id])))
      const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3)
      expect(rejected).toHaveLength(1)
      expect(rejected[0]?.reason).toMatchObject({ code: 'thread_threshold', retryable: true })
      expect((rejected[0]?.reason as IntegrationError).remoteMessage).toMatch(/thread threshold of 3 threads/)
      expect((rejected[0]?.reason as IntegrationError).retryAfterSeconds).toBeGreaterThan(0)
    },
  )

  it('never exceeds three requests in flight per entity when the client has its own gate', async () => {
    const client = harness.client({ gate: createInMemoryRequestGate({ hourlyLimit: 10_000 }) })
    await client.getThresholdAndUsageInfo()
    harness.emulator.setFaults({ latencyMs: 100 })
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((id) => client.findTicketsByIds([id])))
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true)
    expect(harness.emulator.counters().rejected.threadThreshold).toBeUndefined()
  })

  it.each(['atws-error', 'soap-fault'] as const)(
    'fails with a retryable hourly threshold error when the database budget is spent and the emulator answers as %s',
    async (style) => {
      const client = harness.client()
      await client.getThresholdAndUsageInfo()
      harness.emulator.setFaults({ hourlyLimit: 2, thresholdErrorStyle: style })
      await client.findTicketsByIds([1])
      const error = await rejection(client.findTicketsByIds([2]))
      expect(error).toMatchObject({ code: 'hourly_threshold', retryable: true })
      expect(error.retryAfterSeconds).toBeGreaterThan(0)
      harness.emulator.setClockOffset(61 * 60 * 1000)
      await expect(client.findTicketsByIds([3])).resolves.toEqual([])
    },
  )

  it('returns a retryable unknown outcome and does not resend when a create outlives the timeout', async () => {
    const client = harness.client({ timeoutMs: 200 })
    const accountId = await accountOf('CL-1001')
    await client.getThresholdAndUsageInfo()
    harness.emulator.setFaults({ latencyMs: 600 })
    const error = await rejection(client.createTickets([makeTicket(accountId, { externalId: 'zd:1:slow' })]))
    expect(error).toMatchObject({ code: 'outcome_unknown', retryable: true })
    expect(harness.emulator.counters().byOperationAndEntity['create:Ticket']).toBe(1)
    // The emulator, like Autotask, still saves it: the engine must look it up by natural key.
    await vi.waitFor(() => expect(harness.emulator.listTickets().some((ticket) => ticket.fields.ExternalID === 'zd:1:slow')).toBe(true))
    harness.emulator.setFaults({ latencyMs: 0 })
    expect((await client.findTicketsByExternalIds(['zd:1:slow'])).length).toBe(1)
  })

  it('fails with a retryable unavailable error during an outage and recovers after it', async () => {
    const client = harness.client()
    await client.getThresholdAndUsageInfo()
    harness.emulator.setFaults({ outage: true })
    const error = await rejection(client.findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'unavailable', retryable: true, status: 503, retryAfterSeconds: 30 })
    harness.emulator.setFaults({ outage: false })
    await expect(client.findTicketsByIds([1])).resolves.toEqual([])
  })

  it('fails with a retryable SOAP fault when the emulator injects server errors', async () => {
    const client = harness.client()
    await client.getThresholdAndUsageInfo()
    harness.emulator.setFaults({ errorRate: 1 })
    const error = await rejection(client.findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'soap_fault', retryable: true, status: 500 })
  })

  it('fails with a retryable network error when nothing listens', async () => {
    const client = harness.client({ zoneUrl: 'http://127.0.0.1:9/ATServices/1.6/atws.asmx' })
    const error = await rejection(client.findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  it('stops writing and reports the request error for the rest when a later batch hits the thread limit', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const tickets = Array.from({ length: 201 }, (_, index) => makeTicket(accountId, { externalId: `zd:1:s${index}` }))
    let calls = 0
    const original = harness.emulator.admit
    harness.emulator.admit = (database, code, entity, method) => {
      if (method === 'create') calls += 1
      if (method === 'create' && calls === 2)
        return { kind: 'thread', message: 'Thread Threshold Exceeded - The Autotask API thread threshold of 3 threads has been exceeded. Method: create' }
      return original(database, code, entity, method)
    }
    const results = await client.createTickets(tickets)
    expect(results).toHaveLength(201)
    expect(results.slice(0, 200).every((result) => result.ok)).toBe(true)
    expect(results[200]).toMatchObject({ ok: false, error: { code: 'thread_threshold', retryable: true } })
  })

  it('accepts an update of a ticket whose empty fields come back as ATWS sends them, with only priority and title changed', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([makeTicket(accountId)])
    if (!created?.ok) throw new Error('create failed')
    const read = await fetch(harness.soapUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', authorization: `Basic ${Buffer.from('api@demo.test:sandbox-secret').toString('base64')}` },
      body: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><AutotaskIntegrations xmlns="http://autotask.net/ATWS/v1_6/"><IntegrationCode>SANDBOX0INTEGRATION0CODE0001</IntegrationCode></AutotaskIntegrations></soap:Header><soap:Body><query xmlns="http://autotask.net/ATWS/v1_6/"><sXML>&lt;queryxml&gt;&lt;entity&gt;Ticket&lt;/entity&gt;&lt;query&gt;&lt;field&gt;id&lt;expression op="equals"&gt;${created.entity.id}&lt;/expression&gt;&lt;/field&gt;&lt;/query&gt;&lt;/queryxml&gt;</sXML></query></soap:Body></soap:Envelope>`,
    })
    const xml = await read.text()
    for (const empty of ['Resolution', 'PurchaseOrderNumber', 'ChangeInfoField1', 'ChangeInfoField5', 'AEMAlertID'])
      expect(xml).toContain(`<${empty} xsi:type="xsd:string" />`)

    const [fresh] = await client.findTicketsByIds([created.entity.id])
    if (!fresh) throw new Error('not found')
    expect(fresh.otherFields.Resolution).toBe('')
    harness.sentEnvelopes.length = 0
    const [updated] = await client.updateTickets([{ ...fresh, priority: 1, title: 'Cluster CL-1001 is down' }])
    expect(updated).toMatchObject({ ok: true, entity: { priority: 1, title: 'Cluster CL-1001 is down', status: 1, queueId: 8 } })
    const update = harness.sentEnvelopes.find((envelope) => envelope.includes('<update'))
    expect(update).toBeDefined()
    expect(update).not.toMatch(/<(\w+)(\s[^>]*)?\/>|<(\w+)(\s[^>]*)?><\/\3>/)
  })

  it('sends the fields of every entity in the order of the WSDL it loaded', async () => {
    const client = harness.client()
    const accountId = await accountOf('CL-1001')
    const [created] = await client.createTickets([
      makeTicket(accountId, { dueDateTime: new Date('2026-03-01T10:00:00Z'), userDefinedFields: { 'Cluster ID': 'CL-1001' } }),
    ])
    if (!created?.ok) throw new Error('create failed')
    const create = harness.sentEnvelopes.find((envelope) => envelope.includes('<create'))!
    const names = [...create.matchAll(/<(\w+) xsi:type="xsd:\w+">/g)].map((match) => match[1])
    expect(names).toEqual(
      ['AccountID', 'Description', 'DueDateTime', 'InstalledProductID', 'Priority', 'QueueID', 'Source', 'Status', 'Title', 'TicketType', 'ExternalID'].filter(
        (name) => names.includes(name),
      ),
    )
    expect(names).toEqual(expect.arrayContaining(['AccountID', 'Priority', 'Status', 'Title', 'ExternalID', 'DueDateTime']))
    expect(create.indexOf('<UserDefinedFields>')).toBeLessThan(create.indexOf('<AccountID'))
  })

  it('looks the zone up once, carries on in the new zone and reports the move when Autotask moves the tenant mid-read', async () => {
    const moves: ZoneMove[] = []
    const client = harness.client({ zoneUrl: harness.soapUrl, onZoneMoved: (move) => void moves.push(move) })
    const accountId = await accountOf('CL-1001')
    const created = await client.createTickets(Array.from({ length: 3 }, (_, index) => makeTicket(accountId, { externalId: `zd:1:z${index}` })))
    harness.emulator.resetCounters()
    harness.emulator.moveToZone('29', 'demo', 1)
    const ids = created.map((result) => (result.ok ? result.entity.id : 0))
    const [first, second] = await Promise.all([client.findTicketsByIds(ids), client.findTicketsByIds(ids)])
    expect(first.map((ticket) => ticket.id)).toEqual(ids)
    expect(second.map((ticket) => ticket.id)).toEqual(ids)
    const movedUrl = harness.soapUrl.replace('/ATServices/', '/zones/29/ATServices/')
    expect(moves).toEqual([{ from: harness.soapUrl, to: movedUrl }])
    expect(client.zoneUrl).toBe(movedUrl)
    expect(harness.emulator.counters().byOperation.getZoneInfo).toBe(1)
    expect(harness.emulator.counters().rejected.movedZone).toBeGreaterThanOrEqual(1)
    await client.findTicketsByIds(ids)
    expect(harness.emulator.counters().byOperation.getZoneInfo).toBe(1)
  })

  it('looks the zone up once and fails with the auth error when the zone has not moved', async () => {
    const moves: ZoneMove[] = []
    const client = harness.client({ zoneUrl: harness.soapUrl, secret: 'wrong', onZoneMoved: (move) => void moves.push(move) })
    const error = await rejection(client.findTicketsByIds([1]))
    expect(error).toMatchObject({ code: 'auth', status: 401 })
    expect(harness.emulator.counters().byOperation.getZoneInfo).toBe(1)
    expect(moves).toEqual([])
  })
})
