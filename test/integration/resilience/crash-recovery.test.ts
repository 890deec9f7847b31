import type { Database } from '../../../server/src/db/database'
import { INTERRUPTED_RUN_ERROR } from '../../../server/src/db/repositories/run-liveness'
import { startRemoteSandbox, type RemoteSandbox } from '../../helpers/remote-sandbox'
import { backendEnv, recordRemoteTenant } from '../../helpers/remote-tenant'
import { spawnEntryPoint } from '../../helpers/spawn-server'
import { seededRandom, seedFromEnvironment } from '../../helpers/seeded-random'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'
import { expectExactlyOnce, seedWorkload, addMoreWork, type Workload } from './workload'

// SIGKILL is only meaningful on a real PostgreSQL: the embedded one is a single session without
// fsync, so a killed process can take it down with it.
describe.skipIf(!onRealPostgres())('crash safety (needs DATABASE_URL: a real PostgreSQL)', () => {
  let sandbox: RemoteSandbox
  let database: Database
  let workload: Workload

  beforeAll(async () => {
    sandbox = await startRemoteSandbox()
    await sandbox.zendesk('PUT', '/_control/limits', {
      incrementalExportsPerMinute: 100_000,
      accountRequestsPerMinute: 100_000,
      ticketUpdatesPerMinute: 100_000,
      updatesPerTicketPerUser: 10_000,
    })
    database = await createTestDatabase()
    const tenant = await recordRemoteTenant(database, sandbox)
    workload = await seedWorkload(sandbox, tenant, { tickets: 40, commentsPerTicket: 3 })
  }, 180_000)

  /** Waits (at most `timeoutMs`) until a run started after `since` is under way. */
  async function workStarted(since: Date, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const { rows } = await database.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_runs WHERE status = 'running' AND started_at >= $1", [
        since,
      ])
      if (rows[0]!.n > 0) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  afterAll(async () => {
    await sandbox?.stop()
    await database?.close()
  })

  it('ends with every ticket, comment and note exactly once after 20 kills at random moments of its work', async () => {
    const random = seededRandom(seedFromEnvironment('crash recovery'))
    let killedMidRun = 0
    for (let round = 0; round < 20; round += 1) {
      const spawnedAt = (await database.pool.query<{ now: Date }>('SELECT now()')).rows[0]!.now
      const backend = spawnEntryPoint('server/src/server.ts', backendEnv(database))
      await backend.waitFor(/is running at/, 60_000)
      // Kill while this backend works (a run of its own has started), at a random moment of it;
      // an idle backend is killed after the wait all the same. Killing at any moment after start
      // mostly hit the quiet gaps between runs once syncs got fast.
      await workStarted(spawnedAt, 15_000)
      await new Promise((resolve) => setTimeout(resolve, random.integer(0, 600)))
      backend.child.kill('SIGKILL')
      await backend.exited
      // A run the kill interrupted is left 'running' (until a later backend closes it as
      // interrupted): proof that this kill hit work in progress.
      const { rows } = await database.pool.query<{ interrupted: number }>(
        "SELECT count(*)::int AS interrupted FROM sync_runs WHERE status = 'running' OR error = $1",
        [INTERRUPTED_RUN_ERROR],
      )
      if (rows[0]!.interrupted > killedMidRun) killedMidRun = rows[0]!.interrupted
      await addMoreWork(sandbox, database, workload, round, random)
    }
    // Kills that only ever landed between runs would prove nothing about recovery.
    expect(killedMidRun).toBeGreaterThan(0)

    // A last backend runs undisturbed until everything has converged, then stops cleanly.
    const last = spawnEntryPoint('server/src/server.ts', backendEnv(database))
    await last.waitFor(/is running at/, 60_000)
    try {
      await expectExactlyOnce(sandbox, database, workload, { timeoutMs: 240_000 })
    } finally {
      last.child.kill('SIGINT')
      expect(await last.exited).toBe(0)
    }
  }, 600_000)
})
