import type { RestHarness } from './rest-harness'
import { startRestEmulator } from './rest-harness'
import type { AutotaskTicketEntity, AutotaskTicketNoteEntity } from '../../../server/src/adapters/autotask/index'

let harness: RestHarness

beforeEach(async () => {
  harness = await startRestEmulator()
})

afterEach(async () => {
  await harness.close()
})

/** What both faces must agree on; times as instants. */
function comparable(ticket: AutotaskTicketEntity | undefined) {
  if (!ticket) return undefined
  return {
    id: ticket.id,
    ticketNumber: ticket.ticketNumber,
    title: ticket.title,
    description: ticket.description,
    accountId: ticket.accountId,
    installedProductId: ticket.installedProductId,
    status: ticket.status,
    priority: ticket.priority,
    queueId: ticket.queueId,
    source: ticket.source,
    ticketType: ticket.ticketType,
    externalId: ticket.externalId,
    dueDateTime: ticket.dueDateTime?.getTime(),
    createDate: ticket.createDate?.getTime(),
    lastActivityDate: ticket.lastActivityDate?.getTime(),
    userDefinedFields: ticket.userDefinedFields,
  }
}

function comparableNote(note: AutotaskTicketNoteEntity | undefined) {
  return note && { ...note, createDateTime: note.createDateTime?.getTime(), lastActivityDate: note.lastActivityDate?.getTime() }
}

describe('one Autotask database, two faces', () => {
  it('reads a ticket created over SOAP and one created over REST identically through both faces', async () => {
    const soap = harness.soapClient()
    const rest = harness.client()
    const [product] = await rest.findConfigurationItemsByReferenceNumbers(['CL-1001'])
    // A summer instant, so Eastern daylight time is in play on the SOAP side.
    const due = new Date('2025-07-04T16:45:30.120Z')
    const input = (externalId: string) => ({
      title: 'Fan <b>failure</b> — été',
      description: 'Line one\nLine two',
      accountId: product?.accountId ?? 0,
      installedProductId: product?.id ?? null,
      status: 1,
      priority: 2,
      queueId: 8,
      dueDateTime: due,
      source: 4,
      ticketType: 1,
      externalId,
      userDefinedFields: { 'Cluster ID': 'CL-1001' },
    })
    const [viaSoap] = await soap.createTickets([input('zd:1:soap')])
    const [viaRest] = await rest.createTickets([input('zd:1:rest')])
    if (!viaSoap?.ok || !viaRest?.ok) throw new Error('create failed')
    const ids = [viaSoap.entity.id, viaRest.entity.id]
    const soapRead = await soap.findTicketsByIds(ids)
    const restRead = await rest.findTicketsByIds(ids)
    expect(restRead.map(comparable)).toEqual(soapRead.map(comparable))
    const [soapTicket, restTicket] = restRead
    expect(comparable(soapTicket)).toMatchObject({
      dueDateTime: due.getTime(),
      externalId: 'zd:1:soap',
      installedProductId: product?.id,
      userDefinedFields: { 'Cluster ID': 'CL-1001' },
    })
    expect({ ...comparable(restTicket), id: 0, ticketNumber: '', externalId: '', createDate: 0, lastActivityDate: 0 }).toEqual({
      ...comparable(soapTicket),
      id: 0,
      ticketNumber: '',
      externalId: '',
      createDate: 0,
      lastActivityDate: 0,
    })

    // Each face on the wire: REST in UTC with Z, SOAP in Eastern time without an offset.
    const rawRest = (await harness.raw('GET', `Tickets/${viaRest.entity.id}`)).body as { item: Record<string, unknown> }
    expect(rawRest.item).toMatchObject({ dueDateTime: '2025-07-04T16:45:30.120Z', companyID: product?.accountId, configurationItemID: product?.id, queueID: 8 })
    const soapXml = await fetch(harness.soapUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: '"http://autotask.net/ATWS/v1_6/query"',
        Authorization: `Basic ${Buffer.from('api@demo.test:sandbox-secret').toString('base64')}`,
      },
      body: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><AutotaskIntegrations xmlns="http://autotask.net/ATWS/v1_6/"><IntegrationCode>SANDBOX0INTEGRATION0CODE0001</IntegrationCode></AutotaskIntegrations></soap:Header><soap:Body><query xmlns="http://autotask.net/ATWS/v1_6/"><sXML>&lt;queryxml&gt;&lt;entity&gt;Ticket&lt;/entity&gt;&lt;query&gt;&lt;field&gt;id&lt;expression op="equals"&gt;${viaRest.entity.id}&lt;/expression&gt;&lt;/field&gt;&lt;/query&gt;&lt;/queryxml&gt;</sXML></query></soap:Body></soap:Envelope>`,
    }).then((response) => response.text())
    expect(soapXml).toContain('<DueDateTime xsi:type="xsd:dateTime">2025-07-04T12:45:30.12</DueDateTime>')
    expect(soapXml).toContain(`<AccountID xsi:type="xsd:int">${product?.accountId}</AccountID>`)
  })

  it('reads notes written through either face identically through both', async () => {
    const soap = harness.soapClient()
    const rest = harness.client()
    const [product] = await rest.findConfigurationItemsByReferenceNumbers(['CL-1002'])
    const [ticket] = await rest.createTickets([{ title: 'Notes both ways', accountId: product?.accountId ?? 0, status: 1, priority: 2 }])
    if (!ticket?.ok) throw new Error('create failed')
    const [soapNote] = await soap.createNotes([{ ticketId: ticket.entity.id, title: 'Over SOAP', description: 'Written over SOAP', noteType: 3, publish: 1 }])
    const [restNote] = await rest.createNotes([{ ticketId: ticket.entity.id, title: 'Over REST', description: 'Written over REST', noteType: 3, publish: 2 }])
    expect(soapNote?.ok && restNote?.ok).toBe(true)
    const throughSoap = await soap.findNotesByTicketIds([ticket.entity.id])
    const throughRest = await rest.findNotesByTicketIds([ticket.entity.id])
    expect(throughRest.map(comparableNote)).toEqual(throughSoap.map(comparableNote))
    expect(throughRest.map((note) => [note.title, note.publish])).toEqual([
      ['Over SOAP', 1],
      ['Over REST', 2],
    ])
    expect(harness.emulator.counters().byFace).toMatchObject({ soap: expect.any(Number), rest: expect.any(Number) })
  })
})
