import * as soap from 'soap'
import type { EmulatorHarness } from './emulator-harness'
import { startEmulator } from './emulator-harness'
import { checkEnvelope, loadRealAtwsSchema, realWsdlPath } from './atws-schema'
import { emulatedEntityNames } from '../../../server/sandbox/src/autotask/field-metadata'
import { entityFieldOrder } from '../../../server/src/adapters/autotask/soap/wsdl-field-order'

const realWsdl = realWsdlPath

type Operation = (args: unknown) => Promise<[Record<string, unknown>]>

describe('emulator conformance with Autotask real v1.6 WSDL', () => {
  let harness: EmulatorHarness
  let client: soap.Client

  // Without the team's reference folder this fails with a clear message instead of skipping.
  const schema = loadRealAtwsSchema()

  function operation(name: string): Operation {
    return (client as unknown as Record<string, Operation>)[`${name}Async`] as Operation
  }

  beforeAll(async () => {
    harness = await startEmulator()
    client = await soap.createClientAsync(realWsdl, { endpoint: harness.soapUrl })
    client.setSecurity(new soap.BasicAuthSecurity('api@demo.test', 'sandbox-secret'))
    client.addSoapHeader({ AutotaskIntegrations: { IntegrationCode: 'SANDBOX0INTEGRATION0CODE0001' } }, '', 'tns', 'http://autotask.net/ATWS/v1_6/')
  })

  afterAll(async () => {
    await harness.close()
  })

  it('answers getZoneInfo with the emulator SOAP URL when the user is known, and ErrorCode -1 when not', async () => {
    const [known] = await operation('getZoneInfo').call(client, { UserName: 'api@demo.test' })
    expect(known.getZoneInfoResult).toMatchObject({ URL: harness.soapUrl, ErrorCode: 0, CI: 30049 })
    const [unknown] = await operation('getZoneInfo').call(client, { UserName: 'nobody@x.test' })
    expect(unknown.getZoneInfoResult).toMatchObject({ ErrorCode: -1, CI: -1 })
  })

  it('creates, updates and queries a ticket with xsi-typed fields in Eastern time', async () => {
    const [products] = await operation('query').call(client, {
      sXML: '<queryxml><entity>InstalledProduct</entity><query><field>ReferenceNumber<expression op="Equals">CL-1003</expression></field></query></queryxml>',
    })
    const product = (products.queryResult as { EntityResults: { Entity: Array<Record<string, { $value: string }>> } }).EntityResults.Entity[0]
    const accountId = Number(product?.AccountID?.$value)
    const [created] = await operation('create').call(client, {
      Entities: {
        Entity: [
          {
            attributes: { 'xsi:type': 'Ticket' },
            AccountID: accountId,
            DueDateTime: '2025-07-01T08:00:00',
            Priority: 1,
            Status: 1,
            Title: 'Real WSDL ticket',
            ExternalID: 'zd:conf:1',
          },
        ],
      },
    })
    const createResult = created.createResult as {
      ReturnCode: number
      EntityResults: { Entity: Array<{ id: number; TicketNumber: { $value: string; attributes: Record<string, string> } }> }
    }
    expect(createResult.ReturnCode).toBe(1)
    const ticket = createResult.EntityResults.Entity[0]
    expect(ticket?.TicketNumber.attributes['xsi:type']).toBe('xsd:string')
    expect(ticket?.TicketNumber.$value).toMatch(/^T\d{8}\.\d{4}$/)
    expect(harness.emulator.getTicket(ticket?.id ?? 0)?.fields.DueDateTime).toEqual(new Date('2025-07-01T12:00:00Z'))

    const [updated] = await operation('update').call(client, {
      Entities: {
        Entity: [{ attributes: { 'xsi:type': 'Ticket' }, id: ticket?.id, AccountID: accountId, Priority: 3, Status: 8, Title: 'Real WSDL ticket (updated)' }],
      },
    })
    expect((updated.updateResult as { ReturnCode: number }).ReturnCode).toBe(1)
    expect(harness.emulator.getTicket(ticket?.id ?? 0)?.fields).toMatchObject({ Priority: 3, Status: 8, ExternalID: '', DueDateTime: null })

    const [queried] = await operation('query').call(client, {
      sXML: `<queryxml><entity>ticket</entity><query><condition><field>id<expression op="EQUALS">${ticket?.id}</expression></field></condition><condition operator="OR"><field>Title<expression op="contains">no such title</expression></field></condition></query></queryxml>`,
    })
    const result = queried.queryResult as { ReturnCode: number; EntityResultType: string; EntityResults: { Entity: Array<Record<string, unknown>> } }
    expect(result.ReturnCode).toBe(1)
    expect(result.EntityResultType).toBe('ticket')
    expect(result.EntityResults.Entity).toHaveLength(1)
    expect(result.EntityResults.Entity[0]?.Title).toMatchObject({ $value: 'Real WSDL ticket (updated)' })
  })

  it('lists every emulated entity field in the real WSDL order when the emulator serves its own WSDL', async () => {
    const own = await soap.createClientAsync(harness.soapUrl.replace(/\.asmx$/, '.wsdl'), { endpoint: harness.soapUrl })
    for (const entity of emulatedEntityNames) {
      const real = entityFieldOrder(client, entity)
      const emulated = entityFieldOrder(own, entity)
      expect(real.length).toBeGreaterThan(0)
      expect(emulated).toEqual(real.filter((name) => emulated.includes(name)))
      expect(schema.complexTypes.get(entity)?.sequence.map((element) => element.name)).toEqual(real)
    }
  })

  it('reports an untyped element, a field out of order, a missing id and an unknown field when an envelope breaks the schema', () => {
    const body = (entity: string) =>
      `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><update xmlns="http://autotask.net/ATWS/v1_6/"><Entities><Entity xsi:type="Ticket">${entity}</Entity></Entities></update></soap:Body></soap:Envelope>`
    expect(checkEnvelope(schema, body('<id>1</id><AccountID xsi:type="xsd:int">5</AccountID><Title xsi:type="xsd:string">a</Title>'))).toEqual([])
    expect(checkEnvelope(schema, body('<id>1</id><Resolution/>'))).toEqual([
      'Body/update/Entities/Entity/Resolution: an untyped (xs:anyType) element without xsi:type',
    ])
    expect(checkEnvelope(schema, body('<id>1</id><Title xsi:type="xsd:string">a</Title><AccountID xsi:type="xsd:int">5</AccountID>'))).toEqual([
      "Body/update/Entities/Entity/AccountID: out of the order of Ticket's sequence",
    ])
    expect(checkEnvelope(schema, body('<AccountID xsi:type="xsd:int">5</AccountID>'))).toEqual(['Body/update/Entities/Entity: id is required before AccountID'])
    expect(checkEnvelope(schema, body('<id>1</id><Colour xsi:type="xsd:string">red</Colour>'))).toEqual([
      "Body/update/Entities/Entity/Colour: not declared in Ticket's sequence",
    ])
    expect(checkEnvelope(schema, body('<id>1</id><Priority xsi:type="xsd:int">high</Priority>'))).toEqual([
      'Body/update/Entities/Entity/Priority: "high" is not a valid xsd:int',
    ])
  })

  it('fails with a clear message instead of skipping when the reference WSDL is missing', () => {
    expect(() => loadRealAtwsSchema('/nonexistent/reference/autotask/atws-v1_6.wsdl')).toThrow(/real v1.6 WSDL is missing at .*team's reference folder/)
  })

  it('returns field info with picklists when GetFieldInfo is called for TicketNote', async () => {
    const [info] = await operation('GetFieldInfo').call(client, { psObjectType: 'TicketNote' })
    const fields = (
      info.GetFieldInfoResult as {
        Field: Array<{ Name: string; IsRequired: boolean; PicklistValues: { PickListValue?: Array<{ Value: string; Label: string }> } | null }>
      }
    ).Field
    const publish = fields.find((item) => item.Name === 'Publish')
    expect(publish?.IsRequired).toBe(true)
    expect(publish?.PicklistValues?.PickListValue?.map((value) => [value.Value, value.Label])).toContainEqual(['2', 'Internal Project Team'])
  })

  it('reports Autotask-format errors in an ATWSResponse when a create misses a required field', async () => {
    const [created] = await operation('create').call(client, {
      Entities: { Entity: [{ attributes: { 'xsi:type': 'TicketNote' }, Description: 'x', NoteType: 3, Publish: 1 }] },
    })
    expect(created.createResult).toMatchObject({
      ReturnCode: -1,
      Errors: { ATWSError: [{ Message: 'Value does not exist for the required field TicketID. ; on record number [1].' }] },
    })
  })
})
