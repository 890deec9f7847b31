import pg from 'pg'
import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { createPostgresRequestGate } from '../../../server/src/db/repositories/autotask-request-budget'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'
import { eventually } from '../../helpers/until'

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
    const held = async () =>
      (await database.pool.query(`SELECT count(*)::int AS n FROM autotask_request_slots WHERE connection_id = $1 AND holder IS NOT NULL`, [connectionId]))
        .rows[0].n
    await eventually(async () => (await held()) === 0, 10_000, 'the slot released')
    // Every statement of every client (a transaction's client too), not only pool.query.
    let statements = 0
    const query = pg.Client.prototype.query
    const counted = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      statements += 1
      return (query as (...args: unknown[]) => unknown).apply(this, args)
    } as typeof query)
    try {
      const before = await gate.run('Contract', async () => statements)
      expect(before).toBe(1)
    } finally {
      counted.mockRestore()
    }
  })
})
