import { createHmac } from 'node:crypto'
import PgBoss from 'pg-boss'
import type { Database } from '../../../server/src/db/database'
import { createWebhookRepository } from '../../../server/src/db/repositories/webhook-repository'
import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { createSecretBox } from '../../../server/src/security/secret-box'
import { startRemoteSandbox, type RemoteSandbox } from '../../helpers/remote-sandbox'
import { backendEnv, recordRemoteTenant, TEST_SECRET_KEY } from '../../helpers/remote-tenant'
import { seededRandom, seedFromEnvironment } from '../../helpers/seeded-random'
import { spawnEntryPoint, type SpawnedProcess } from '../../helpers/spawn-server'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'
import { sidebarToken } from '../api/api-stack'
import { addMoreWork, expectExactlyOnce, seedWorkload, type Workload } from '../resilience/workload'

const INTERVAL_SECONDS = 10
const APP_SHARED_SECRET = 'sandbox-app-shared-secret'

interface Backend {
  process: SpawnedProcess
  origin: string
}

async function startBackend(database: Database, name: string): Promise<Backend> {
  const process = spawnEntryPoint(
    'server/src/server.ts',
    backendEnv(database, { SYNC_INTERVAL_SECONDS: String(INTERVAL_SECONDS), LOG_LEVEL: 'info', DATABASE_POOL_SIZE: '6' }),
  )
  const [, origin] = await process.waitFor(/is running at (http:\/\/[\d.]+:\d+)/, 90_000).catch((error: unknown) => {
    throw new Error(`backend ${name} did not start: ${String(error)}`)
  })
  return { process, origin: origin! }
}

async function clickSyncNow(backend: Backend, ticketId: number): Promise<number> {
  const response = await fetch(`${backend.origin}/api/v1/tickets/${ticketId}/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sidebarToken(ticketId, { secret: APP_SHARED_SECRET })}`, 'content-type': 'application/json' },
    body: '{}',
  })
  await response.text()
  return response.status
}

/**
 * A customer's change as Zendesk announces it, to any backend (behind a load balancer each delivery
 * may reach another). The emulator's own deliveries name the API token's user, PSA Link's
 * integration user, as the actor, so the backends would rightly ignore them.
 */
async function deliverWebhook(backend: Backend, accountId: number, signingSecret: string, ticketId: number, actorId: number): Promise<number> {
  const body = JSON.stringify({
    type: 'zen:event-type:ticket.comment_added',
    subject: `zen:ticket:${ticketId}`,
    detail: { id: String(ticketId), actor_id: String(actorId) },
  })
  const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const signature = createHmac('sha256', signingSecret)
    .update(timestamp + body)
    .digest('base64')
  const response = await fetch(`${backend.origin}/webhooks/zendesk/${accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': timestamp },
    body,
  })
  await response.text()
  return response.status
}

// Three backends (separate processes) on one real PostgreSQL and the emulators in a process of
// their own: webhooks, Sync now clicks, scheduled cycles and an admin's backfill arrive at once,
// and one backend is SIGKILLed midway.
describe.skipIf(!onRealPostgres())('three backends on one PostgreSQL (needs DATABASE_URL: a real PostgreSQL)', () => {
  let sandbox: RemoteSandbox
  let database: Database
  let workload: Workload
  let signingSecret: string
  const backends: Backend[] = []

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
    // History from before PSA Link: the backfill's part of the work.
    workload = await seedWorkload(sandbox, tenant, { tickets: 12, commentsPerTicket: 2 })
    for (const name of ['one', 'two', 'three']) backends.push(await startBackend(database, name))
    // Zendesk's webhook delivers to backend one (it is never killed).
    const zendesk = createZendeskClient({ baseUrl: `${sandbox.origin}/sandbox/zendesk`, auth: { type: 'oauth', accessToken: 'sandbox-oauth-token' } })
    const webhook = await zendesk.createWebhook({ name: 'PSA Link (three backends)', endpoint: `${backends[0]!.origin}/webhooks/zendesk/${tenant.accountId}` })
    const secrets = createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex'))
    signingSecret = await zendesk.getWebhookSigningSecret(webhook.id)
    await createWebhookRepository(database.pool, secrets).saveWebhook(tenant.accountId, webhook.id, signingSecret)
  }, 240_000)

  afterAll(async () => {
    for (const backend of backends) {
      if (backend.process.child.exitCode === null && backend.process.child.signalCode === null) backend.process.child.kill('SIGINT')
      await backend.process.exited
    }
    await sandbox?.stop()
    await database?.close()
  })

  it('ends with everything exactly once, no thread-limit refusal and at most one scheduled cycle per interval when one backend is killed midway', async () => {
    const [one, two, three] = backends as [Backend, Backend, Backend]

    // An admin starts a backfill of the last day (as the console does: a row and its job).
    const { rows } = await database.pool.query<{ id: number }>(
      `INSERT INTO backfills (zendesk_account_id, start_at, include_solved) VALUES ($1, now() - interval '1 day', false) RETURNING id`,
      [workload.accountId],
    )
    const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false, max: 1 })
    await boss.start()
    await boss.send('backfill', { accountId: workload.accountId, backfillId: rows[0]!.id }, { singletonKey: `account:${workload.accountId}` })
    await boss.stop({ graceful: false })

    const random = seededRandom(seedFromEnvironment('three backends'))
    const clicks: number[] = []
    const deliveries: number[] = []
    for (let round = 0; round < 6; round += 1) {
      // New comments (webhooks to backend one), technicians' notes (the cycles' part) and clicks on every backend.
      await addMoreWork(sandbox, database, workload, round, random)
      const targets = round < 3 ? [one, two, three] : [one, two]
      const ticketIds = workload.ticketIds.slice(round * 2, round * 2 + targets.length)
      clicks.push(...(await Promise.all(ticketIds.map((ticketId, index) => clickSyncNow(targets[index]!, ticketId)))))
      const touched = workload.ticketIds.slice(-(round + 3))
      deliveries.push(
        ...(await Promise.all(
          touched.map((ticketId, index) => deliverWebhook(targets[index % targets.length]!, workload.accountId, signingSecret, ticketId, workload.requesterId)),
        )),
      )
      if (round === 2) {
        three.process.child.kill('SIGKILL')
        await three.process.exited
      }
      await new Promise((resolve) => setTimeout(resolve, 1500))
    }
    expect(clicks.every((status) => status === 200 || status === 202)).toBe(true)
    expect(deliveries.every((status) => status === 200)).toBe(true)

    await expectExactlyOnce(sandbox, database, workload, { timeoutMs: 90_000 })
    const { rows: backfill } = await database.pool.query<{ state: string }>('SELECT state FROM backfills WHERE id = $1', [rows[0]!.id])
    expect(backfill[0]?.state).toBe('succeeded')

    // Every kind of work did arrive: webhook deliveries and clicks queued their jobs (a webhook's
    // job finds its ticket often synced by then, and is dropped without a run).
    const { rows: triggers } = await database.pool.query<{ trigger: string }>(
      `SELECT DISTINCT data->>'trigger' AS trigger FROM (SELECT data FROM pgboss.job WHERE name = 'sync-ticket' UNION ALL SELECT data FROM pgboss.archive WHERE name = 'sync-ticket') AS jobs`,
    )
    expect(triggers.map((row) => row.trigger)).toEqual(expect.arrayContaining(['webhook', 'sync_now']))

    const counters = await sandbox.autotaskControl<{ rejected: Record<string, number> }>('GET', '/counters')
    expect(counters.rejected.threadThreshold ?? 0).toBe(0)

    // pg-boss's throttling slots: one scheduled cycle job per account and interval, whatever the instances.
    const { rows: slots } = await database.pool.query<{ slot: Date; jobs: number }>(
      `SELECT singleton_on AS slot, count(*)::int AS jobs FROM (
         SELECT singleton_on FROM pgboss.job WHERE name = 'sync-cycle' AND data->>'trigger' = 'schedule'
         UNION ALL SELECT singleton_on FROM pgboss.archive WHERE name = 'sync-cycle' AND data->>'trigger' = 'schedule') AS cycles
        GROUP BY singleton_on ORDER BY singleton_on`,
    )
    expect(slots.length).toBeGreaterThan(1)
    expect(slots.filter((slot) => slot.jobs > 1)).toEqual([])
    // And the runs themselves: never two cycles of the account at once, and no more finished
    // scheduled runs than slots (a slot's job may start late, behind a long cycle, so runs are not
    // counted per wall-clock slot).
    const { rows: overlaps } = await database.pool.query(
      `SELECT a.id, b.id AS other FROM sync_runs a JOIN sync_runs b ON a.id < b.id AND a.zendesk_account_id = b.zendesk_account_id
        WHERE a.zendesk_account_id = $1 AND a.kind = 'cycle' AND b.kind = 'cycle' AND a.finished_at IS NOT NULL AND b.finished_at IS NOT NULL
          AND a.started_at < b.finished_at AND b.started_at < a.finished_at`,
      [workload.accountId],
    )
    expect(overlaps).toEqual([])
    const { rows: finished } = await database.pool.query<{ runs: number }>(
      `SELECT count(*)::int AS runs FROM sync_runs WHERE zendesk_account_id = $1 AND kind = 'cycle' AND trigger = 'schedule' AND finished_at IS NOT NULL`,
      [workload.accountId],
    )
    expect(finished[0]!.runs).toBeLessThanOrEqual(slots.length)
  }, 240_000)
})
