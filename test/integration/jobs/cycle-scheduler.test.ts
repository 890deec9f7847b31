import type PgBoss from 'pg-boss'
import type { Database } from '../../../server/src/db/database'
import { startCycleScheduler, type CycleScheduler } from '../../../server/src/jobs/cycle-scheduler'
import { createJobQueue } from '../../../server/src/jobs/job-queue'
import { createSyncQueues, SYNC_CYCLE_QUEUE } from '../../../server/src/jobs/sync-queues'
import { createTestDatabase } from '../../helpers/test-database'

// Every backend instance runs the schedule's timer. pg-boss's 'short' policy merges only *waiting*
// jobs, so once one instance's cycle is running, another instance's tick used to start a second
// cycle in the same interval. Two queues on one database stand for two instances here.

let database: Database
const bosses: PgBoss[] = []
const schedulers: CycleScheduler[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  for (let instance = 0; instance < 2; instance += 1) {
    const boss = createJobQueue(database)
    boss.on('error', () => undefined)
    await boss.start()
    bosses.push(boss)
  }
  await createSyncQueues(bosses[0]!)
  for (const boss of bosses) {
    schedulers.push(
      startCycleScheduler(boss, {
        intervalSeconds: 300,
        listAccountIds: async () => [7, 8],
        onError: (error) => {
          throw error
        },
        enabled: false,
      }),
    )
  }
})
afterAll(async () => {
  for (const boss of bosses) await boss.stop({ graceful: false, wait: true })
  await database?.close()
})

const cyclesOf = async (accountId: number) =>
  Number(
    (
      await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND data->>'accountId' = $2`, [
        SYNC_CYCLE_QUEUE,
        String(accountId),
      ])
    ).rows[0]!.n,
  )

describe('the cycle schedule across instances', () => {
  it('starts one scheduled cycle per account per interval however many instances tick, running or not', async () => {
    await schedulers[0]!.tick()
    await schedulers[1]!.tick()
    expect([await cyclesOf(7), await cyclesOf(8)]).toEqual([1, 1])

    // Instance A's workers take the cycles: they are running, no longer waiting.
    const taken = await bosses[0]!.fetch(SYNC_CYCLE_QUEUE, { batchSize: 10 })
    expect(taken).toHaveLength(2)
    // Instance B's timer fires within the same interval: no second cycle.
    await schedulers[1]!.tick()
    await schedulers[0]!.tick()
    expect([await cyclesOf(7), await cyclesOf(8)]).toEqual([1, 1])
  })

  it('still runs a cycle asked for now (a resumed connection) beside the scheduled one', async () => {
    await schedulers[1]!.requestNow()
    expect([await cyclesOf(7), await cyclesOf(8)]).toEqual([2, 2])
    // … and a second request while that one waits joins it.
    await schedulers[0]!.requestNow()
    expect([await cyclesOf(7), await cyclesOf(8)]).toEqual([2, 2])
  })
})
