import { loadZendeskOpenApi } from '../../helpers/zendesk-openapi'
import type { ZendeskOpenApi } from '../../helpers/zendesk-openapi'
import { SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

/**
 * The emulator as general-purpose Zendesk clients use it: plain HTTP, Zendesk's documented list
 * pagination, and the habits such clients have (page[size] on every request).
 */
let running: RunningZendeskEmulator
let openApi: ZendeskOpenApi

beforeAll(async () => {
  openApi = loadZendeskOpenApi()
  running = await startZendeskEmulator()
})
afterAll(async () => {
  await running.close()
})
beforeEach(() => {
  running.emulator.reset()
  running.emulator.setExportLagSeconds(0)
  running.exchanges.length = 0
})

type Answer = Record<string, unknown> & { tickets: Array<{ id: number; external_id: string | null }> }

async function get(pathOrUrl: string): Promise<{ status: number; body: Answer }> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${running.baseUrl}${pathOrUrl}`
  const response = await fetch(url, { headers: { authorization: `Bearer ${SANDBOX_BEARER.accessToken}` } })
  return { status: response.status, body: (await response.json()) as Answer }
}

function addTickets(count: number): void {
  const { emulator } = running
  for (let index = 0; index < count; index++) {
    emulator.createTicket({
      subject: `Bulk ${index}`,
      comment: { body: 'x', authorId: emulator.requester().id },
      requesterId: emulator.requester().id,
      externalId: index % 10 === 0 ? 'AT-42' : null,
    })
  }
}

describe('GET /api/v2/tickets for third-party clients', () => {
  it('pages by offset with next_page, previous_page and count when asked for page and per_page', async () => {
    addTickets(150)
    const total = running.emulator.tickets().length
    const first = await get('/api/v2/tickets.json?per_page=100')
    expect(first.status).toBe(200)
    expect(first.body.tickets).toHaveLength(100)
    expect(first.body.count).toBe(total)
    expect(first.body.previous_page).toBeNull()
    const second = await get(String(first.body.next_page))
    expect(second.body.tickets.map((ticket) => ticket.id)).toEqual(
      running.emulator
        .tickets()
        .map((ticket) => ticket.id)
        .sort((a, b) => a - b)
        .slice(100),
    )
    expect(second.body.next_page).toBeNull()
    expect(second.body.previous_page).toContain('page=1')
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })

  it('pages by cursor following links.next until has_more is false when asked with page[size]', async () => {
    addTickets(120)
    const seen: number[] = []
    let next: string | null = '/api/v2/tickets.json?page[size]=50'
    let pages = 0
    while (next) {
      const page = await get(next)
      expect(page.status).toBe(200)
      expect(page.body).not.toHaveProperty('next_page')
      seen.push(...page.body.tickets.map((ticket) => ticket.id))
      const meta = page.body.meta as { has_more: boolean; after_cursor: string }
      next = meta.has_more ? (page.body.links as { next: string }).next : null
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(
      running.emulator
        .tickets()
        .map((ticket) => ticket.id)
        .sort((a, b) => a - b),
    )
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })

  it('lists only the tickets with that external id when filtered by external_id', async () => {
    addTickets(30)
    const { body } = await get('/api/v2/tickets.json?external_id=AT-42')
    expect(body.tickets).toHaveLength(3)
    expect(body.tickets.every((ticket) => ticket.external_id === 'AT-42')).toBe(true)
  })

  it('refuses offset pages beyond the first 100 and a page[size] over 100 with 400', async () => {
    expect((await get('/api/v2/tickets.json?page=101&per_page=100')).status).toBe(400)
    expect((await get('/api/v2/tickets.json?page[size]=101')).status).toBe(400)
  })
})

describe('the cursor ticket export for third-party clients', () => {
  it('ignores page[size] and pages by per_page when a client adds list pagination parameters', async () => {
    addTickets(5)
    const first = await get('/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=4&page[size]=100')
    expect(first.status).toBe(200)
    expect(first.body.tickets).toHaveLength(4)
    expect(first.body.end_of_stream).toBe(false)
    const rest = await get(`${String(first.body.after_url)}&page%5Bsize%5D=2`)
    expect(rest.status).toBe(200)
    expect(rest.body.tickets).toHaveLength(running.emulator.tickets().length - 4)
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })
})
