import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { closeInterruptedRuns, INTERRUPTED_RUN_ERROR, RUN_SILENT_SECONDS } from '../../../server/src/db/repositories/run-liveness'
import { createSyncBookkeepingRepository } from '../../../server/src/db/repositories/sync-bookkeeping-repository'
import { createTestDatabase } from '../../helpers/test-database'

// A backend killed mid-run used to leave its run 'running' for ever in the monitor.
let database: Database
let accountId: number
beforeAll(async () => {
  database = await createTestDatabase()
  await migrate(database.pool)
  const { rows } = await database.pool.query<{ id: number }>(
    `INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ('acme', 'https://acme.zendesk.com') RETURNING id`,
  )
  accountId = rows[0]!.id
})
afterAll(async () => database?.close())

async function runWith(aliveSecondsAgo: number, status = 'running'): Promise<number> {
  const { rows } = await database.pool.query<{ id: number }>(
    `INSERT INTO sync_runs (zendesk_account_id, kind, trigger, status, started_at, alive_at)
     VALUES ($1, 'cycle', 'schedule', $2, now() - interval '1 hour', now() - make_interval(secs => $3)) RETURNING id`,
    [accountId, status, aliveSecondsAgo],
  )
  return rows[0]!.id
}

const statusOf = async (id: number) =>
  (await database.pool.query<{ status: string; error: string | null }>('SELECT status, error FROM sync_runs WHERE id = $1', [id])).rows[0]!

describe('runs of a stopped backend', () => {
  it('closes a run silent longer than the limit as interrupted and leaves live and finished runs alone', async () => {
    const dead = await runWith(RUN_SILENT_SECONDS + 60)
    const live = await runWith(5)
    const finished = await runWith(RUN_SILENT_SECONDS + 60, 'succeeded')
    expect(await closeInterruptedRuns(database.pool, RUN_SILENT_SECONDS)).toBe(1)
    expect(await statusOf(dead)).toEqual({ status: 'failed', error: INTERRUPTED_RUN_ERROR })
    expect(await statusOf(live)).toEqual({ status: 'running', error: null })
    expect(await statusOf(finished)).toEqual({ status: 'succeeded', error: null })
  })

  it('keeps a long run alive when it writes its progress', async () => {
    const longRun = await runWith(RUN_SILENT_SECONDS + 60)
    await createSyncBookkeepingRepository(database.pool).updateRunProgress(longRun, { created: 3 })
    expect(await closeInterruptedRuns(database.pool, RUN_SILENT_SECONDS)).toBe(0)
    expect(await statusOf(longRun)).toEqual({ status: 'running', error: null })
  })
})
