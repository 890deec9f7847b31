import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

let running: RunningZendeskEmulator

beforeEach(async () => {
  running = await startZendeskEmulator({ seedTickets: false })
})
afterEach(async () => {
  await running.close()
})

const client = () => createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER, maxRetries: 0 })
const BASE = Date.parse('2026-05-04T08:00:00Z')
const second = (offset: number) => Math.floor(BASE / 1000) + offset

/** `counts[s]` audits (a ticket's creation, then comments) in second `s` after BASE, a few ms apart. */
function eventsPerSecond(counts: number[]): void {
  const { emulator } = running
  const requester = emulator.requester()
  for (const [offset, count] of counts.entries()) {
    let ticketId = 0
    for (let index = 0; index < count; index++) {
      emulator.setNow(new Date(BASE + offset * 1000 + index * 10))
      if (index === 0)
        ticketId = emulator.createTicket({ subject: `s${offset}`, comment: { body: `first ${offset}` }, requesterId: requester.id, clusterId: 'CL-1001' }).id
      else emulator.addComment(ticketId, { body: `comment ${offset}.${index}`, public: true, authorId: requester.id })
    }
  }
  emulator.setNow(new Date(BASE + 600_000))
}

describe('time-based ticket-events export', () => {
  it('never ends a page inside a second: the page grows past per_page to take the whole second', async () => {
    eventsPerSecond([2, 3, 1])
    const first = await client().exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true, perPage: 3 })
    // 2 events of the first second and all 3 of the next: 5, not 3.
    expect(first.events.map((event) => Math.floor(event.createdAt.getTime() / 1000))).toEqual([second(0), second(0), second(1), second(1), second(1)])
    expect(first.endTime.getTime() / 1000).toBe(second(1))
    expect(first.endOfStream).toBe(false)
    // Starting again at end_time repeats that second whole (a client dedupes by id); the second fills
    // that page by itself, so its end_time moves on to the next second.
    const next = await client().exportTicketEvents({ startTime: first.endTime, includeCommentEvents: true, perPage: 3 })
    expect(next.events.map((event) => Math.floor(event.createdAt.getTime() / 1000))).toEqual([second(1), second(1), second(1)])
    expect(next.endTime.getTime() / 1000).toBe(second(2))
    const last = await client().exportTicketEvents({ startTime: next.endTime, includeCommentEvents: true, perPage: 3 })
    expect(last.events.map((event) => Math.floor(event.createdAt.getTime() / 1000))).toEqual([second(2)])
    expect(last.endOfStream).toBe(true)
    const ids = new Set([...first.events, ...next.events, ...last.events].map((event) => event.id))
    expect(ids.size).toBe(6)
  })

  it('moves end_time past a second that fills a page by itself, so paging cannot stall on it', async () => {
    eventsPerSecond([4, 1])
    const first = await client().exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true, perPage: 2 })
    expect(first.events).toHaveLength(4)
    expect(first.endTime.getTime() / 1000).toBe(second(1))
    const next = await client().exportTicketEvents({ startTime: first.endTime, includeCommentEvents: true, perPage: 2 })
    expect(next.events).toHaveLength(1)
    expect(next.endOfStream).toBe(true)
  })

  it('holds back the events of the last minute and answers them once they are older', async () => {
    eventsPerSecond([1])
    running.emulator.setExportLagSeconds(60)
    const requester = running.emulator.requester()
    const ticketId = running.emulator.createTicket({ subject: 'fresh', comment: { body: 'just now' }, requesterId: requester.id }).id
    const before = await client().exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true })
    expect(before.events.map((event) => event.ticketId)).not.toContain(ticketId)
    expect(before.endOfStream).toBe(true)
    running.emulator.advanceTime(61_000)
    const after = await client().exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true })
    expect(after.events.map((event) => event.ticketId)).toContain(ticketId)
  })

  it('shares the 10-a-minute limit with the ticket export: the eleventh export request of either kind answers 429', async () => {
    eventsPerSecond([1])
    const zendesk = client()
    for (let index = 0; index < 5; index++) await zendesk.exportTickets({ startTime: new Date(BASE) })
    for (let index = 0; index < 5; index++) await zendesk.exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true })
    const error = await zendesk.exportTicketEvents({ startTime: new Date(BASE), includeCommentEvents: true }).then(
      () => null,
      (failure: unknown) => failure,
    )
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' })
    expect((error as IntegrationError).retryAfterSeconds).toBeGreaterThan(0)
  })
})
