import type pg from 'pg'
import { createTicketSyncJobs } from '../../../server/src/jobs/ticket-sync-jobs'
import { OPEN_JOB_INDEX } from '../../../server/src/jobs/open-job-index'
import { SYNC_TICKET_QUEUE, ticketKey } from '../../../server/src/jobs/sync-queues'
import { onRealPostgres } from '../../helpers/test-database'
import type { TestStack } from '../../helpers/test-stack'
import { startApiStack } from '../api/api-stack'

// Every Sync now click and every open sidebar's read asks pg-boss for the ticket's open job. pg-boss
// keeps half a day of finished jobs beside the open ones, and none of its own indexes finds a job
// by singleton key: without PSA Link's partial index each lookup read them all.

let stack: TestStack

beforeAll(async () => {
  stack = await startApiStack()
})
afterAll(async () => stack?.close())

const FINISHED_JOBS = 20_000

describe('the open-job lookup', () => {
  it.runIf(onRealPostgres())('reads the open-job index, not every finished job, with half a day of history kept', async () => {
    const pool: pg.Pool = stack.database.pool
    // A busy account's half day: finished jobs for many tickets, and one ticket with an open job.
    await pool.query(
      `INSERT INTO pgboss.job (id, name, data, state, singleton_key, policy, completed_on)
       SELECT gen_random_uuid(), $1, '{}'::jsonb, 'completed', 'ticket:' || $2 || ':' || (g % 4000), 'short', now()
         FROM generate_series(1, $3) g`,
      [SYNC_TICKET_QUEUE, stack.accountId, FINISHED_JOBS],
    )
    const open = await stack.app.jobs.send(
      SYNC_TICKET_QUEUE,
      { accountId: stack.accountId, ticketId: 4_000_123, trigger: 'sync_now' },
      {
        singletonKey: ticketKey(stack.accountId, 4_000_123),
        startAfter: 3600,
      },
    )
    await pool.query('ANALYZE pgboss.job')
    const jobs = createTicketSyncJobs(stack.app.jobs)
    expect(await jobs.findOpen(stack.accountId, 4_000_123)).toBe(open)
    expect(await jobs.findOpen(stack.accountId, 77)).toBeNull()

    // The lookup's own statement, explained: the plan names each index it reads.
    let plan: unknown = null
    const explaining = {
      getDb: () => ({
        executeSql: async (text: string, values: unknown[]) => {
          plan = (await pool.query(`EXPLAIN (FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN']
          return pool.query(text, values)
        },
      }),
    } as unknown as Parameters<typeof createTicketSyncJobs>[0]
    await createTicketSyncJobs(explaining).findOpen(stack.accountId, 77)
    const text = JSON.stringify(plan)
    expect(text).not.toContain('Seq Scan')
    // The index read is the queue partition's piece of PSA Link's index.
    const used = [...text.matchAll(/"Index Name":"([^"]+)"/g)].map((match) => match[1]!)
    const { rows } = await pool.query<{ parent: string }>(
      `SELECT parent.relname AS parent FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
        WHERE child.relname = ANY($1)`,
      [used],
    )
    expect(rows.map((row) => row.parent)).toContain(OPEN_JOB_INDEX)
  })
})
