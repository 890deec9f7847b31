import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import type { ZendeskTicket } from '../../../server/src/adapters/zendesk/zendesk-types'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { fastForwardSleep, SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

let running: RunningZendeskEmulator

beforeAll(async () => {
  running = await startZendeskEmulator({ seedTickets: false })
})
afterAll(async () => {
  await running.close()
})

/** A stand-in for the database row that holds the cursor between runs. */
interface CursorStore {
  cursor: string | null
}

/** One sync process: a fresh client, reading pages from the stored cursor and saving it after each page. */
async function runExport(store: CursorStore, options: { maxPages?: number; betweenPages?: (page: number) => void } = {}): Promise<ZendeskTicket[]> {
  const client = createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER, sleep: fastForwardSleep(running.emulator).sleep })
  const seen: ZendeskTicket[] = []
  for (let page = 0; page < (options.maxPages ?? Infinity); page++) {
    const result = await client.exportTickets(store.cursor ? { cursor: store.cursor } : { startTime: new Date(0) }, { perPage: 3 })
    seen.push(...result.tickets)
    store.cursor = result.afterCursor
    if (result.endOfStream) break
    options.betweenPages?.(page)
    // Each page is one of the 10 export requests a minute allows; a real sync spreads them out.
    running.emulator.advanceTime(6_000)
  }
  return seen
}

const versionKey = (ticket: ZendeskTicket): string => `${ticket.id}@${ticket.updatedAt.toISOString()}`

describe('incremental cursor ticket export', () => {
  it('delivers every ticket change exactly once across restarts when the cursor is persisted', async () => {
    const { emulator } = running
    emulator.setNow(new Date('2026-05-04T08:00:00Z'))
    const requester = emulator.requester()
    const agent = emulator.agents()[0]!
    const tick = (): void => emulator.advanceTime(1_000)
    const create = (subject: string) => {
      tick()
      return emulator.createTicket({ subject, comment: { body: `${subject} body`, authorId: requester.id }, requesterId: requester.id, clusterId: 'CL-1001' })
        .id
    }
    const ids = Array.from({ length: 10 }, (_, index) => create(`first ${index}`))
    const store: CursorStore = { cursor: null }
    const delivered: ZendeskTicket[] = []

    // Run 1 stops ("crashes") after two pages; one already-delivered ticket changes between pages.
    delivered.push(
      ...(await runExport(store, {
        maxPages: 2,
        betweenPages: () => {
          tick()
          emulator.updateTicket(ids[0]!, { priority: 'high' }, agent.id)
        },
      })),
    )
    expect(delivered).toHaveLength(6)

    // While nothing runs: updates to seen and unseen tickets, comments, new tickets.
    tick()
    emulator.updateTicket(ids[1]!, { status: 'open' }, agent.id)
    tick()
    emulator.addComment(ids[7]!, { body: 'agent reply', public: true, authorId: agent.id })
    tick()
    emulator.addComment(ids[8]!, { body: 'internal', public: false, authorId: agent.id })
    const later = [create('second 0'), create('second 1'), create('second 2')]

    // Run 2: a new client instance resumes from the stored cursor.
    delivered.push(...(await runExport(store)))

    // More changes, then run 3 (another instance).
    tick()
    emulator.updateTicket(later[0]!, { subject: 'second 0 renamed' }, agent.id)
    tick()
    emulator.addComment(ids[4]!, { body: 'follow-up', public: true, authorId: agent.id })
    tick()
    emulator.deleteTicket(ids[9]!, agent.id)
    delivered.push(...(await runExport(store)))

    // Run 4 finds nothing new.
    expect(await runExport(store)).toEqual([])

    const keys = delivered.map(versionKey)
    expect(new Set(keys).size).toBe(keys.length)

    // The last version each ticket was delivered in is its current state: nothing was missed.
    const lastSeen = new Map<number, ZendeskTicket>()
    for (const ticket of delivered) lastSeen.set(ticket.id, ticket)
    const allIds = [...ids, ...later]
    expect([...lastSeen.keys()].sort((a, b) => a - b)).toEqual(allIds.sort((a, b) => a - b))
    for (const id of allIds) {
      const current = emulator.ticket(id)!
      expect(lastSeen.get(id)?.updatedAt.toISOString()).toBe(current.updatedAt.toISOString())
    }
    expect(lastSeen.get(ids[0]!)?.priority).toBe('high')
    expect(lastSeen.get(ids[1]!)?.status).toBe('open')
    expect(lastSeen.get(later[0]!)?.subject).toBe('second 0 renamed')
    expect(lastSeen.get(ids[9]!)?.status).toBe('deleted')

    // Exactly the changes made: 10 + 3 creations, plus one delivery per later change of a delivered ticket.
    const deliveriesOf = (id: number) => delivered.filter((ticket) => ticket.id === id).length
    expect(deliveriesOf(ids[0]!)).toBe(2)
    expect(deliveriesOf(ids[1]!)).toBe(2)
    expect(deliveriesOf(ids[7]!)).toBe(1)
    expect(deliveriesOf(ids[4]!)).toBe(2)
    expect(deliveriesOf(later[0]!)).toBe(2)
  })

  it('leaves out changes from the last minute until they are a minute old when the export lag is on', async () => {
    const { emulator } = running
    emulator.reset()
    emulator.setExportLagSeconds(60)
    emulator.setNow(new Date('2026-05-05T08:00:00Z'))
    const client = createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER })
    const first = await client.exportTickets({ startTime: new Date('2026-05-05T07:00:00Z') })
    expect(first).toMatchObject({ tickets: [], endOfStream: true })

    const ticket = emulator.createTicket({ subject: 'fresh', comment: { body: 'hi', authorId: emulator.requester().id }, requesterId: emulator.requester().id })
    emulator.advanceTime(30_000)
    expect((await client.exportTickets({ cursor: first.afterCursor })).tickets).toEqual([])
    emulator.advanceTime(31_000)
    const page = await client.exportTickets({ cursor: first.afterCursor })
    expect(page.tickets.map((item) => item.id)).toEqual([ticket.id])
    expect((await client.exportTickets({ cursor: page.afterCursor })).tickets).toEqual([])

    const tooRecent = await client.exportTickets({ startTime: emulator.now() }).catch((error: unknown) => error)
    expect(tooRecent).toBeInstanceOf(IntegrationError)
    expect(tooRecent).toMatchObject({ status: 400, remoteMessage: 'Too recent start_time. Use a start_time older than 1 minute' })
  })
})
