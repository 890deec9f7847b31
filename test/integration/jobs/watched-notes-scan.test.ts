import type PgBoss from 'pg-boss'
import { createJobQueue } from '../../../server/src/jobs/job-queue'
import { startWatchScanScheduler, WATCH_SCAN_QUEUE, type WatchScanOutput } from '../../../server/src/jobs/watched-notes-scan'
import type { TicketWatchesRepository } from '../../../server/src/db/repositories/ticket-watches-repository'
import { addAutotaskNoteAs, autotaskResourceIdByEmail } from '../../helpers/acting-for-people'
import { openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import { cycle, linkOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { callApi, eventually, sidebarToken } from '../api/api-stack'

// An open sidebar re-reads its ticket from PostgreSQL; before the watched-tickets scan nothing
// brought a technician's note from Autotask until the next cycle (300 s). Here the cycle is a day
// away and the scan runs every 5 s: only the scan can bring the notes in.
let stack: TestStack
let technicianId: number

beforeAll(async () => {
  stack = await startScenario({ schedule: true, env: { SYNC_INTERVAL_SECONDS: '86400', SIDEBAR_WATCH_SCAN_SECONDS: '5' } })
  await cycle(stack)
  technicianId = await autotaskResourceIdByEmail(restBase(), 'tara.nguyen@demo.test')
})
afterAll(async () => {
  await stack?.close()
})

const restBase = () => `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
const readSidebar = (ticketId: number) => callApi(stack, 'GET', `/api/v1/tickets/${ticketId}`, sidebarToken(ticketId))
const noteTexts = (answer: { body: Record<string, unknown> }) => (answer.body.notes as { items: Array<{ text: string }> }).items.map((note) => note.text)
const hasComment = (ticketId: number, text: string) => zendeskCommentsOf(stack, ticketId).some((comment) => comment.body.includes(text))

/** A ticket linked by a sync before the test's steps, with no job of it left running. */
async function linkedTicket(subject: string): Promise<{ zendeskId: number; autotaskId: number }> {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject })
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  expect(link?.state).toBe('linked')
  return { zendeskId: ticket.id, autotaskId: link!.autotask_ticket_id }
}

/** Ticket syncs the scan asked for (every state: queued, running, done). */
async function watchRuns(ticketId: number): Promise<number> {
  const { rows } = await stack.database.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sync-ticket' AND data->>'trigger' = 'watch' AND (data->>'ticketId')::bigint = $1`,
    [ticketId],
  )
  return rows[0]!.n
}

/** Finished scans of the sandbox connection since `after`, as their jobs recorded them. */
async function scansSince(after: Date): Promise<WatchScanOutput[]> {
  const { rows } = await stack.database.pool.query<{ output: WatchScanOutput }>(
    `SELECT output FROM pgboss.job WHERE name = $1 AND state = 'completed' AND started_on > $2 ORDER BY started_on`,
    [WATCH_SCAN_QUEUE, after],
  )
  return rows.map((row) => row.output)
}

describe('the watched-tickets note scan', () => {
  it('brings a technician’s note into Zendesk and the sidebar’s next read without a click when a sidebar shows the ticket', async () => {
    const { zendeskId, autotaskId } = await linkedTicket('Watched while open')
    expect((await readSidebar(zendeskId)).status).toBe(200)
    await addAutotaskNoteAs(restBase(), {
      ticketId: autotaskId,
      resourceId: technicianId,
      title: 'Onsite',
      description: 'Replaced the fan tray while you watched.',
    })
    await eventually(() => hasComment(zendeskId, 'Replaced the fan tray while you watched.'), 30_000)
    const answer = await readSidebar(zendeskId)
    expect(noteTexts(answer).some((text) => text.includes('Replaced the fan tray while you watched.'))).toBe(true)
  })

  it('asks Autotask once for every watched ticket and syncs only the one with a new note when three sidebars are open', async () => {
    const watched = [await linkedTicket('Open sidebar A'), await linkedTicket('Open sidebar B'), await linkedTicket('Open sidebar C')]
    const unwatched = await linkedTicket('Nobody looks at this one')
    for (const ticket of watched) await readSidebar(ticket.zendeskId)
    const noted = watched[1]!
    const before = new Date()
    await addAutotaskNoteAs(restBase(), { ticketId: noted.autotaskId, resourceId: technicianId, title: 'Remote', description: 'Rebooted the controller.' })
    await addAutotaskNoteAs(restBase(), {
      ticketId: unwatched.autotaskId,
      resourceId: technicianId,
      title: 'Remote',
      description: 'Nobody is watching this note.',
    })

    const scans = await eventually(async () => {
      const found = await scansSince(before)
      return found.some((scan) => scan.changed.includes(noted.zendeskId)) ? found : null
    }, 30_000)
    const bringing = scans.find((scan) => scan.changed.includes(noted.zendeskId))!
    // Every watched ticket of the connection in one query (the earlier test's ticket is still watched).
    expect(bringing).toMatchObject({ changed: [noted.zendeskId], skipped: null, autotaskRequests: 1 })
    expect(bringing.watched).toBeGreaterThanOrEqual(3)
    await eventually(() => hasComment(noted.zendeskId, 'Rebooted the controller.'), 30_000)
    // A later scan finds the note in the ledger and syncs nothing again.
    const later = new Date()
    const next = await eventually(async () => (await scansSince(later)).find((scan) => scan.skipped === null), 30_000)
    expect(next.changed).toEqual([])
    expect(await watchRuns(noted.zendeskId)).toBe(1)
    expect(await watchRuns(watched[0]!.zendeskId)).toBe(0)
    // No sidebar shows this ticket: its note waits for the cycle.
    expect(hasComment(unwatched.zendeskId, 'Nobody is watching this note.')).toBe(false)
    expect(await watchRuns(unwatched.zendeskId)).toBe(0)
  })

  it('does not ask Autotask while most of the connection’s hourly share is used when a note is added', async () => {
    const { zendeskId, autotaskId } = await linkedTicket('Over budget')
    await readSidebar(zendeskId)
    const connectionId = (
      await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
    ).rows[0]!.id
    // 4,000 of the 5,000 requests (half of Autotask's 10,000) spent ten minutes ago.
    await stack.database.pool.query(
      `INSERT INTO autotask_request_usage (connection_id, minute, requests) VALUES ($1, date_trunc('minute', now()) - interval '10 minutes', 4000)`,
      [connectionId],
    )
    try {
      await addAutotaskNoteAs(restBase(), { ticketId: autotaskId, resourceId: technicianId, title: 'Later', description: 'Written while the budget is spent.' })
      const before = new Date()
      const skipped = await eventually(async () => (await scansSince(before)).find((scan) => scan.skipped === 'budget'), 30_000)
      expect(skipped.autotaskRequests).toBe(0)
      expect(hasComment(zendeskId, 'Written while the budget is spent.')).toBe(false)
    } finally {
      await stack.database.pool.query(`DELETE FROM autotask_request_usage WHERE connection_id = $1 AND requests = 4000`, [connectionId])
    }
    await eventually(() => hasComment(zendeskId, 'Written while the budget is spent.'), 30_000)
  })

  it('queues one scan per connection and interval however many backend instances tick', async () => {
    const bosses: PgBoss[] = []
    const connections = [9001, 9002].map((connectionId) => ({ accountId: stack.accountId, connectionId }))
    const watches = { watchedConnections: async () => connections, pruneLapsed: async () => 0 } as unknown as TicketWatchesRepository
    try {
      for (let instance = 0; instance < 2; instance += 1) {
        const boss = createJobQueue(stack.database)
        boss.on('error', () => undefined)
        await boss.start()
        bosses.push(boss)
      }
      const schedulers = bosses.map((boss) =>
        startWatchScanScheduler(boss, {
          intervalSeconds: 3600,
          watches,
          onError: (error) => {
            throw error
          },
          enabled: false,
        }),
      )
      const jobs = async (states: string[]) =>
        (
          await stack.database.pool.query<{ connection: string; n: number }>(
            `SELECT data->>'connectionId' AS connection, count(*)::int AS n FROM pgboss.job
              WHERE name = $1 AND data->>'connectionId' IN ('9001', '9002') AND state = ANY($2::pgboss.job_state[]) GROUP BY 1 ORDER BY 1`,
            [WATCH_SCAN_QUEUE, states],
          )
        ).rows
      const all = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled']
      for (const scheduler of schedulers) await scheduler.tick()
      expect(await jobs(all)).toEqual([
        { connection: '9001', n: 1 },
        { connection: '9002', n: 1 },
      ])
      // The backend's worker took both (they no longer wait); the other instances' timers fire within the same interval.
      await eventually(async () => (await jobs(['completed'])).length === 2, 20_000)
      for (const scheduler of [...schedulers].reverse()) await scheduler.tick()
      expect(await jobs(all)).toEqual([
        { connection: '9001', n: 1 },
        { connection: '9002', n: 1 },
      ])
    } finally {
      for (const boss of bosses) await boss.stop({ graceful: false, wait: true })
    }
  })
})
