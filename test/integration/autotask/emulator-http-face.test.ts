import type { EmulatorHarness } from './emulator-harness'
import { startEmulator } from './emulator-harness'
import { toAutotaskDateTime } from '../../../server/src/adapters/autotask/soap/eastern-time'

let harness: EmulatorHarness

beforeAll(async () => {
  harness = await startEmulator()
})

afterAll(async () => {
  await harness.close()
})

const auth = `Basic ${Buffer.from('api@demo.test:sandbox-secret').toString('base64')}`

function envelope(body: string, withHeader = true): string {
  const header = withHeader
    ? '<soap:Header><AutotaskIntegrations xmlns="http://autotask.net/ATWS/v1_6/"><IntegrationCode>SANDBOX0INTEGRATION0CODE0001</IntegrationCode></AutotaskIntegrations></soap:Header>'
    : ''
  return `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

async function query(queryXml: string): Promise<string> {
  const response = await fetch(harness.soapUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'http://autotask.net/ATWS/v1_6/query', authorization: auth },
    body: envelope(`<query xmlns="http://autotask.net/ATWS/v1_6/"><sXML>${escape(queryXml)}</sXML></query>`),
  })
  return response.text()
}

function ids(xml: string): number[] {
  return [...xml.matchAll(/<Entity xsi:type="\w+"><id>(\d+)<\/id>/g)].map((match) => Number(match[1]))
}

describe('Autotask emulator over HTTP', () => {
  it('serves its own WSDL with the caller URL as soap:address at both WSDL addresses', async () => {
    for (const url of [`${harness.baseUrl}/ATServices/1.6/atws.wsdl`, `${harness.soapUrl}?wsdl`]) {
      const text = await (await fetch(url)).text()
      expect(text).toContain(`<soap:address location="${harness.soapUrl}"/>`)
      expect(text).toContain('targetNamespace="http://autotask.net/ATWS/v1_6/"')
      expect(text).toContain('soapAction="http://autotask.net/ATWS/v1_6/GetEntityInfo"')
    }
  })

  it('accepts quoted and unquoted SOAPAction headers', async () => {
    for (const soapaction of ['"http://autotask.net/ATWS/v1_6/getThresholdAndUsageInfo"', 'http://autotask.net/ATWS/v1_6/getThresholdAndUsageInfo']) {
      const response = await fetch(harness.soapUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', soapaction, authorization: auth },
        body: envelope('<getThresholdAndUsageInfo xmlns="http://autotask.net/ATWS/v1_6/"/>'),
      })
      expect(response.status).toBe(200)
      expect(await response.text()).toMatch(/ThresholdOfExternalRequest: 10000; TimeframeOfLimitation: 60; numberOfExternalRequest: \d+;/)
    }
  })

  it('answers 401 with a Basic realm and no SOAP envelope when the secret is wrong', async () => {
    const response = await fetch(harness.soapUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: `Basic ${Buffer.from('api@demo.test:nope').toString('base64')}` },
      body: envelope('<getThresholdAndUsageInfo xmlns="http://autotask.net/ATWS/v1_6/"/>'),
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic Realm="127\.0\.0\.1:\d+"$/)
    expect(await response.text()).not.toContain('Envelope')
  })

  it('evaluates every operator in any letter case, nested AND/OR and UDF fields when querying', async () => {
    const accountId = harness.emulator.seeded()?.accountIds[0] ?? 0
    const database = harness.emulator.database()
    const base = { AccountID: accountId, Status: 1, Priority: 2 }
    const alpha = database.insert('Ticket', { ...base, Title: 'Robert smith disk alarm', Description: '' }, { 'Cluster ID': 'CL-1001' }).id
    const beta = database.insert('Ticket', { ...base, Title: 'Rupert cluster 50% full', Priority: 1, Description: 'x' }).id
    const gamma = database.insert('Ticket', { ...base, Title: 'Other', Priority: 3, Description: 'y' }, { 'Cluster ID': 'cl-2000' }).id
    const q = (inner: string) => query(`<queryxml><entity>Ticket</entity><query>${inner}</query></queryxml>`).then(ids)
    const mine = (found: number[]) => found.filter((id) => [alpha, beta, gamma].includes(id))
    expect(mine(await q('<field>Title<expression op="BEGINSWITH">robert</expression></field>'))).toEqual([alpha])
    expect(mine(await q('<field>Title<expression op="endsWith">FULL</expression></field>'))).toEqual([beta])
    expect(mine(await q('<field>Title<expression op="contains">disk</expression></field>'))).toEqual([alpha])
    expect(mine(await q('<field>Title<expression op="like">R%t %</expression></field>'))).toEqual([alpha, beta])
    expect(mine(await q('<field>Title<expression op="NotLike">R%</expression></field>'))).toEqual([gamma])
    expect(mine(await q('<field>Title<expression op="soundslike">Rubert cluster 50% full</expression></field>'))).toEqual([alpha, beta])
    expect(mine(await q('<field>Priority<expression op="greaterthan">1</expression></field>'))).toEqual([alpha, gamma])
    expect(mine(await q('<field>Priority<expression op="LessThanOrEquals">2</expression></field>'))).toEqual([alpha, beta])
    expect(mine(await q('<field>Priority<expression op="GreaterThanOrEquals">3</expression></field>'))).toEqual([gamma])
    expect(mine(await q('<field>Priority<expression op="lessthan">2</expression></field>'))).toEqual([beta])
    expect(mine(await q('<field>Priority<expression op="notequal">2</expression></field>'))).toEqual([beta, gamma])
    expect(mine(await q('<field>Description<expression op="isnull"></expression></field>'))).toEqual([alpha])
    expect(mine(await q('<field>Description<expression op="IsNotNull"></expression></field>'))).toEqual([beta, gamma])
    const easternNow = toAutotaskDateTime(harness.emulator.now())
    expect(mine(await q(`<field>CreateDate<expression op="isthisday">${easternNow}</expression></field>`))).toEqual([alpha, beta, gamma])
    expect(mine(await q('<field>CreateDate<expression op="IsThisDay">2001-01-01T12:00:00</expression></field>'))).toEqual([])
    expect(mine(await q('<field udf="true">Cluster ID<expression op="equals">CL-1001</expression></field>'))).toEqual([alpha])
    expect(
      mine(
        await q(
          `<field>AccountID<expression op="equals">${accountId}</expression></field><condition><condition><field>Priority<expression op="equals">1</expression></field></condition><condition operator="OR"><field udf="true">Cluster ID<expression op="beginswith">cl-2</expression></field></condition></condition>`,
        ),
      ),
    ).toEqual([beta, gamma])
    expect(await query('<queryxml><entity>Ticket</entity><query><field>Priority<expression op="contains">1</expression></field></query></queryxml>')).toContain(
      '<ReturnCode>-1</ReturnCode>',
    )
    const tooMany = Array.from(
      { length: 502 },
      (_, index) => `<condition${index > 0 ? ' operator="OR"' : ''}><field>id<expression op="equals">${index}</expression></field></condition>`,
    ).join('')
    expect(await query(`<queryxml><entity>Ticket</entity><query>${tooMany}</query></queryxml>`)).toContain(
      "Queries are limited to 500 or fewer 'OR' conditions.",
    )
  })

  it('lets another process inject faults, act as a technician and read counters under /_control', async () => {
    const control = `${harness.baseUrl}/_control`
    const json = { 'content-type': 'application/json' }
    await fetch(`${control}/reset-counters`, { method: 'POST' })
    const ticketId = harness.emulator
      .database()
      .insert('Ticket', { AccountID: harness.emulator.seeded()?.accountIds[0] ?? 0, Status: 1, Priority: 2, Title: 'Control' }).id
    const note = await fetch(`${control}/tickets/${ticketId}/notes`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: 'Phoned', description: 'Customer called back' }),
    })
    expect(note.status).toBe(201)
    expect(((await note.json()) as { NoteType: number }).NoteType).toBe(3)
    const edited = await fetch(`${control}/tickets/${ticketId}`, { method: 'PATCH', headers: json, body: JSON.stringify({ Status: 5 }) })
    expect(((await edited.json()) as { CompletedDate: string | null }).CompletedDate).not.toBeNull()
    const survivor = harness.emulator
      .database()
      .insert('Ticket', { AccountID: harness.emulator.seeded()?.accountIds[0] ?? 0, Status: 1, Priority: 2, Title: 'Survivor' }).id
    expect(
      (await fetch(`${control}/tickets/${ticketId}/merge`, { method: 'POST', headers: json, body: JSON.stringify({ intoTicketId: survivor }) })).status,
    ).toBe(200)
    const survivorNotes = (await (await fetch(`${control}/tickets/${survivor}/notes`)).json()) as Array<{ Title: string; NoteType: number }>
    expect(survivorNotes.map((item) => [item.Title, item.NoteType])).toEqual([
      ['Phoned', 3],
      ['Absorbed Another Ticket', 94],
    ])
    expect((await fetch(`${control}/tickets/${ticketId}`, { method: 'DELETE' })).status).toBe(204)
    expect((await fetch(`${control}/tickets/${ticketId}`)).status).toBe(404)
    await fetch(`${control}/faults`, { method: 'POST', headers: json, body: JSON.stringify({ outage: true }) })
    expect(
      (
        await fetch(harness.soapUrl, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', authorization: auth },
          body: envelope('<getThresholdAndUsageInfo/>'),
        })
      ).status,
    ).toBe(503)
    await fetch(`${control}/faults`, { method: 'POST', headers: json, body: JSON.stringify({ reset: true }) })
    await query('<queryxml><entity>Ticket</entity><query><field>id<expression op="equals">1</expression></field></query></queryxml>')
    const counters = (await (await fetch(`${control}/counters`)).json()) as { byOperation: Record<string, number>; rejected: Record<string, number> }
    expect(counters.byOperation.query).toBe(1)
    expect(counters.rejected.outage).toBe(1)
  })

  it('refuses a call without the IntegrationCode header with an ATWSResponse carrying ReturnCode -1 and ATWS text', async () => {
    const response = await fetch(harness.soapUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: auth },
      body: envelope('<getThresholdAndUsageInfo xmlns="http://autotask.net/ATWS/v1_6/"/>', false),
    })
    expect(response.status).toBe(200)
    const xml = await response.text()
    expect(xml).toContain('<ReturnCode>-1</ReturnCode>')
    expect(xml).toContain('<Errors><ATWSError><Message>IntegrationCode is invalid.</Message></ATWSError></Errors>')
    expect(xml).not.toContain('Fault')
  })

  async function update(entity: string): Promise<string> {
    const response = await fetch(harness.soapUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: auth },
      body: envelope(
        `<update xmlns="http://autotask.net/ATWS/v1_6/"><Entities><Entity xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="Ticket">${entity}</Entity></Entities></update>`,
      ),
    })
    return response.text()
  }

  it('refuses an update carrying an empty element without xsi:type as Autotask does, and accepts a typed empty string', async () => {
    const ticket = harness.emulator.listTickets()[0]!
    const fields = `<id>${ticket.id}</id><AccountID xsi:type="xsd:int">${String(ticket.fields.AccountID)}</AccountID><Priority xsi:type="xsd:int">2</Priority><Status xsi:type="xsd:int">1</Status><Title xsi:type="xsd:string">Typed</Title>`
    const refused = await update(`${fields}<Resolution/>`)
    expect(refused).toContain('<ReturnCode>-1</ReturnCode>')
    expect(refused).toContain(
      "<Message>Conversion from type 'Object' to type 'String' is not valid.</Message></ATWSError><ATWSError><Message>Error updating entity for record number [1].</Message>",
    )
    expect(harness.emulator.getTicket(ticket.id)?.fields.Title).toBe(ticket.fields.Title)
    const accepted = await update(`${fields}<Resolution xsi:type="xsd:string"/>`)
    expect(accepted).toContain('<ReturnCode>1</ReturnCode>')
    expect(harness.emulator.getTicket(ticket.id)?.fields.Title).toBe('Typed')
  })

  it('drops a field that comes after a later field of the WSDL sequence when an update sends them out of order', async () => {
    const ticket = harness.emulator.listTickets()[1]!
    const head = `<id>${ticket.id}</id><AccountID xsi:type="xsd:int">${String(ticket.fields.AccountID)}</AccountID>`
    const result = await update(
      `${head}<Title xsi:type="xsd:string">Out of order</Title><Priority xsi:type="xsd:int">3</Priority><Status xsi:type="xsd:int">1</Status>`,
    )
    // Priority and Status come before Title in the WSDL: XmlSerializer skips them, and Priority is required.
    expect(result).toContain('<ReturnCode>-1</ReturnCode>')
    expect(result).toContain('Value does not exist for the required field Priority.')
  })
})
