import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { createSyncStore } from '../../../server/src/db/sync-store'
import { insertZendeskAccount } from '../../helpers/fixtures'
import { createTestDatabase } from '../../helpers/test-database'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
  await migrate(database.pool)
})
afterAll(async () => {
  await database.close()
})

const counts = { ticketsCreated: 3, ticketsUpdated: 0, notesToAutotask: 7, commentsToZendesk: 1, skipped: 0, failed: 0 }

it('shows a running run’s counts as they grow and keeps the final ones once it ends', async () => {
  const store = createSyncStore(database.pool)
  const accountId = await insertZendeskAccount(database.pool)
  const runId = await store.startRun({ accountId, connectionId: null, kind: 'cycle', trigger: 'schedule' })
  await store.updateRunProgress(runId, { ...counts, ticketsSeen: 40 })
  const read = async () => (await database.pool.query('SELECT status, counts FROM sync_runs WHERE id = $1', [runId])).rows[0]
  expect(await read()).toMatchObject({ status: 'running', counts: { ticketsSeen: 40, notesToAutotask: 7 } })
  await store.finishRun(runId, { status: 'succeeded', counts: { ...counts, notesToAutotask: 9 }, apiUsage: { autotask: 5 }, error: null })
  await store.updateRunProgress(runId, { ...counts, ticketsSeen: 99 })
  expect(await read()).toMatchObject({ status: 'succeeded', counts: { notesToAutotask: 9 } })
})
