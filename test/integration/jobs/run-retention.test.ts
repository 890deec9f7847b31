import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { pruneRunHistory, RUNS_ALWAYS_KEPT } from '../../../server/src/db/repositories/run-retention'
import { createTestDatabase } from '../../helpers/test-database'

// sync_runs gets a row per cycle and per ticket sync: without pruning it grows for ever.
let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
  await migrate(database.pool)
})
afterAll(async () => database?.close())

describe('run history retention', () => {
  it('prunes finished runs older than the retention, keeping each account its latest runs and every running one', async () => {
    const accounts = await database.pool.query<{ id: number }>(
      `INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ('busy', 'https://busy.zendesk.com'), ('quiet', 'https://quiet.zendesk.com') RETURNING id`,
    )
    const [busy, quiet] = accounts.rows.map((row) => row.id) as [number, number]
    // busy: 100 old finished runs and 5 recent; quiet: 10 old runs only; one old run still running.
    await database.pool.query(
      `INSERT INTO sync_runs (zendesk_account_id, kind, trigger, status, started_at)
       SELECT $1::bigint, 'ticket', 'test', 'succeeded', now() - interval '90 days' + make_interval(mins => n) FROM generate_series(1, 100) n
       UNION ALL SELECT $1::bigint, 'cycle', 'test', 'succeeded', now() - make_interval(mins => n) FROM generate_series(1, 5) n
       UNION ALL SELECT $2::bigint, 'cycle', 'test', 'failed', now() - interval '90 days' + make_interval(mins => n) FROM generate_series(1, 10) n
       UNION ALL SELECT $1::bigint, 'cycle', 'test', 'running', now() - interval '90 days'`,
      [busy, quiet],
    )
    const removed = await pruneRunHistory(database.pool, 30)
    const count = async (accountId: number) =>
      Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM sync_runs WHERE zendesk_account_id = $1', [accountId])).rows[0]!.n)
    // busy keeps its latest 60 (5 recent + 55 old) and the running one; quiet keeps all 10.
    expect(await count(busy)).toBe(RUNS_ALWAYS_KEPT + 1)
    expect(await count(quiet)).toBe(10)
    expect(removed).toBe(106 - (RUNS_ALWAYS_KEPT + 1))
  })
})
