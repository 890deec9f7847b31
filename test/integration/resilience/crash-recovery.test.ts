import type { Database } from '../../../server/src/db/database'
import { startRemoteSandbox, type RemoteSandbox } from '../../helpers/remote-sandbox'
import { backendEnv, recordRemoteTenant } from '../../helpers/remote-tenant'
import { spawnEntryPoint } from '../../helpers/spawn-server'
import { seededRandom, seedFromEnvironment } from '../../helpers/seeded-random'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'
import { expectExactlyOnce, seedWorkload, addMoreWork, type Workload } from './workload'

// SIGKILL is only meaningful on a real PostgreSQL: the embedded one is a single session without
// fsync (DESIGN.md section 2), so a killed process can take it down with it.
describe.skipIf(!onRealPostgres())('crash safety (needs DATABASE_URL: a real PostgreSQL)', () => {
  let sandbox: RemoteSandbox
  let database: Database
  let workload: Workload

  beforeAll(async () => {
    sandbox = await startRemoteSandbox()
    await sandbox.zendesk('PUT', '/_control/limits', { incrementalExportsPerMinute: 100_000, accountRequestsPerMinute: 100_000, ticketUpdatesPerMinute: 100_000, updatesPerTicketPerUser: 10_000 })
    database = await createTestDatabase()
    const tenant = await recordRemoteTenant(database, sandbox)
    workload = await seedWorkload(sandbox, tenant, { tickets: 40, commentsPerTicket: 3 })
  }, 180_000)

  afterAll(async () => {
    await sandbox?.stop()
    await database?.close()
  })

  it('ends with every ticket, comment and note exactly once after 20 kills at random moments', async () => {
    const random = seededRandom(seedFromEnvironment('crash recovery'))
    let killedMidRun = 0
    for (let round = 0; round < 20; round += 1) {
      const backend = spawnEntryPoint('server/src/server.ts', backendEnv(database))
      await backend.waitFor(/is running at/, 60_000)
      await new Promise((resolve) => setTimeout(resolve, random.integer(300, 3000)))
      backend.child.kill('SIGKILL')
      await backend.exited
      // A run the kill interrupted stays 'running' forever: proof that this kill hit work in progress.
      const { rows } = await database.pool.query<{ interrupted: number }>("SELECT count(*)::int AS interrupted FROM sync_runs WHERE status = 'running'")
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
