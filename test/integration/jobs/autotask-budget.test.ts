import pg from 'pg'
import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { createPostgresRequestGate } from '../../../server/src/db/repositories/autotask-request-budget'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'
import { eventually, until } from '../../helpers/until'

// Autotask's hourly budget is shared by every backend instance through PostgreSQL. Checking the
// count and charging it in separate statements let racing instances overshoot it.

let database: Database
const pools: pg.Pool[] = []
let connectionId: number

beforeAll(async () => {
  if (!onRealPostgres()) return
  database = await createTestDatabase()
  await migrate(database.pool)
  const account = await database.pool.query<{ id: number }>(
    `INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ('acme', 'https://acme.zendesk.com') RETURNING id`,
  )
  const connection = await database.pool.query<{ id: number }>(
    `INSERT INTO autotask_connections (zendesk_account_id, name, api_username, secret_enc, integration_code_enc) VALUES ($1, 'Acme', 'api@acme.test', 'x', 'x') RETURNING id`,
    [account.rows[0]!.id],
  )
  connectionId = connection.rows[0]!.id
  // Four instances, each with its own pool of connections to the same database.
  for (let instance = 0; instance < 4; instance += 1) {
    const pool = new pg.Pool({ connectionString: database.url, max: 5 })
    // Dropping the test database at the end ends their idle connections: not a failure.
    pool.on('error', () => undefined)
    pools.push(pool)
  }
})
afterAll(async () => {
  for (const pool of pools) await pool.end()
  await database?.close()
})

const heldSlots = async () =>
  (await database.pool.query(`SELECT count(*)::int AS n FROM autotask_request_slots WHERE connection_id = $1 AND holder IS NOT NULL`, [connectionId])).rows[0].n

/** Counts every statement of every client (a transaction's client too), not only pool.query. */
function countStatements() {
  let statements = 0
  const query = pg.Client.prototype.query
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    statements += 1
    return (query as (...args: unknown[]) => unknown).apply(this, args)
  } as typeof query)
  return { count: () => statements, restore: () => spy.mockRestore() }
}

// Several instances exist only on a real PostgreSQL: the embedded one serves one process through one
// session, and twenty connections interleaving on it fail with "portal does not exist" before any
// budget is checked.
describe.skipIf(!onRealPostgres())('the shared Autotask budget (needs DATABASE_URL: a real PostgreSQL)', () => {
  it('lets exactly the budget through when instances race for the last requests', async () => {
    const limit = 30
    const gates = pools.map((pool) => createPostgresRequestGate(pool, { connectionId, hourlyLimit: limit, maxInFlightPerEntity: 50 }))
    const attempts = Array.from({ length: 120 }, (_, index) => gates[index % gates.length]!.run('Ticket', async () => 'sent'))
    const results = await Promise.allSettled(attempts)
    const sent = results.filter((result) => result.status === 'fulfilled').length
    const refused = results.filter(
      (result) => result.status === 'rejected' && result.reason instanceof IntegrationError && result.reason.code === 'budget_exhausted',
    ).length
    expect({ sent, refused }).toEqual({ sent: limit, refused: 120 - limit })
    expect((await gates[0]!.usage()).requestsLastHour).toBe(limit)
  })

  it('charges the budget and takes a slot in one round trip before a request goes out', async () => {
    const gate = createPostgresRequestGate(pools[0]!, { connectionId, hourlyLimit: 10_000 })
    await gate.run('Contract', async () => 'prepared')
    // Its slot is released after the answer: wait for that, so only the next request counts.
    await eventually(async () => (await heldSlots()) === 0, 10_000, 'the slot released')
    const statements = countStatements()
    try {
      const before = await gate.run('Contract', async () => statements.count())
      expect(before).toBe(1)
    } finally {
      statements.restore()
    }
  })
})

// A REST backfill sends one entity a request, back to back on each of Autotask's three threads. A
// slot released after each answer raced the next request's take, which found all three held and
// waited for a wake-up: the threads idled between requests. A freed slot now goes straight to the
// same process's next request (local-slot-turns.ts, migration 031) — which must still be charged,
// and must never let a fourth request of the entity run, in this instance or across instances.
describe.skipIf(!onRealPostgres())('slots handed from request to request (needs DATABASE_URL: a real PostgreSQL)', () => {
  const usedLastHour = async () =>
    (
      await database.pool.query<{ n: number }>(
        `SELECT coalesce(sum(requests), 0)::int AS n FROM autotask_request_usage WHERE connection_id = $1 AND minute > now() - interval '1 hour'`,
        [connectionId],
      )
    ).rows[0]!.n

  it('runs at most three requests of an entity at once and charges every one when two instances send back to back', async () => {
    const gates = [pools[1]!, pools[2]!].map((pool) => createPostgresRequestGate(pool, { connectionId, hourlyLimit: 10_000 }))
    const before = await usedLastHour()
    let inFlight = 0
    let most = 0
    const request = async () => {
      inFlight += 1
      most = Math.max(most, inFlight)
      // A request's latency: long enough for the other lanes to queue behind it.
      await new Promise((resolve) => setTimeout(resolve, 4))
      inFlight -= 1
    }
    // Six lanes per instance, each sending its ten requests one after another, as writeEach's lanes do.
    const lanes = gates.flatMap((gate) =>
      Array.from({ length: 6 }, async () => {
        for (let sent = 0; sent < 10; sent += 1) await gate.run('TicketNote', request)
      }),
    )
    await Promise.all(lanes)
    expect(most).toBe(3)
    expect((await usedLastHour()) - before).toBe(120)
  })

  it('sends the next request of a lane after one round trip, on the slot the previous request freed', async () => {
    const gate = createPostgresRequestGate(pools[3]!, { connectionId, hourlyLimit: 10_000, parkMs: 1_000 })
    // Only this test's statements count: the slots the last test parked are released first.
    await eventually(async () => (await heldSlots()) === 0, 10_000, 'the parked slots released')
    const before = await usedLastHour()
    const statements = countStatements()
    try {
      // A lane: the next request is sent as soon as the previous one's answer is in.
      const answered = await gate.run('TicketNoteAttachment', async () => statements.count())
      const sent = await gate.run('TicketNoteAttachment', async () => statements.count())
      // One statement between them: no release, no second take, no wait for a wake-up.
      expect(sent - answered).toBe(1)
    } finally {
      statements.restore()
    }
    expect((await usedLastHour()) - before).toBe(2)
  })

  it('pays for a request queued behind three of its own while it waits, so it leaves as soon as a slot is handed to it', async () => {
    const gate = createPostgresRequestGate(pools[3]!, { connectionId, hourlyLimit: 10_000 })
    const before = await usedLastHour()
    let letGo!: () => void
    const mayEnd = new Promise<void>((resolve) => (letGo = resolve))
    let working = 0
    let endedAt = -1
    let startedAt = -1
    const statements = countStatements()
    try {
      // Three requests hold the entity's three slots until the test lets them go.
      const holding = Array.from({ length: 3 }, (_, index) =>
        gate.run('TicketNoteSummary', async () => {
          working += 1
          await mayEnd
          if (index === 0) endedAt = statements.count()
        }),
      )
      await until(
        () => working,
        (count) => count === 3,
        'three requests in flight',
      )
      const queued = gate.run('TicketNoteSummary', async () => (startedAt = statements.count()))
      // Its charge is paid while it waits (the three takes and the prepaid charge counted).
      await until(usedLastHour, (used) => used - before === 4, 'the queued request paid for')
      letGo()
      await Promise.all([...holding, queued])
    } finally {
      statements.restore()
    }
    // Handed the first slot freed, it went out without a statement in between.
    expect(startedAt - endedAt).toBe(0)
    expect((await usedLastHour()) - before).toBe(4)
  })
})
