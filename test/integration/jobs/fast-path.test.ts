import Fastify, { type FastifyInstance } from 'fastify'
import app from '../../../server/src/app'
import { loadConfig } from '../../../server/src/config'
import { connect } from '../../../server/src/db/database'
import { SYNC_TICKET_QUEUE, ticketKey } from '../../../server/src/jobs/sync-queues'
import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, openTicket, startScenario } from '../../helpers/scenario'
import { onRealPostgres } from '../../helpers/test-database'
import type { TestStack } from '../../helpers/test-stack'
import { callApi, sidebarToken } from '../api/api-stack'
import { signedIn } from '../admin/admin-client'
import { until } from '../../helpers/until'

// The hot path without polling. The workers here look for jobs on their own only once an hour
// (JOB_POLLING_SECONDS=3600): whatever runs at once ran because something woke it.
const HOURLY = { JOB_POLLING_SECONDS: '3600' }

const syncNow = (stack: TestStack, ticketId: number) => callApi(stack, 'POST', `/api/v1/tickets/${ticketId}/sync`, sidebarToken(ticketId))
const usersCalls = (stack: TestStack) => stack.sandbox.zendesk.counters()['GET /api/v2/users/show_many'] ?? 0

async function linkedTicket(stack: TestStack, subject: string) {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject })
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  return { ticket, autotaskId: link!.autotask_ticket_id }
}

function hasNote(stack: TestStack, autotaskId: number, text: string): boolean {
  return stack.sandbox.autotask.listNotes(autotaskId).some((note) => String(note.fields.Description).includes(text))
}

describe('the hot path in one process', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startScenario({ env: HOURLY })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('answers a Sync now with the synced ticket when the workers would look for jobs only once an hour', async () => {
    const { ticket, autotaskId } = await linkedTicket(stack, 'Woken, not polled')
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'The printer is on fire again.', public: true, authorId: agentOf(stack).id })
    const answer = await syncNow(stack, ticket.id)
    expect(answer).toMatchObject({ status: 200, body: { status: 'done' } })
    expect(hasNote(stack, autotaskId, 'The printer is on fire again.')).toBe(true)
  })

  it("starts an admin's backfill at once when the workers would look for jobs only once an hour", async () => {
    openTicket(stack, { clusterId: 'CL-1001', subject: 'Older than the link' })
    const admin = await signedIn(stack)
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)
    const started = await admin.post('/backfill', { startDate: twoDaysAgo, includeSolved: false })
    expect(started.status).toBe(202)
    const backfillState = async () =>
      ((await admin.get('/backfill')).body as { backfills: Array<{ id: number; state: string }> }).backfills.find(
        (backfill) => backfill.id === Number(started.body.id),
      )!.state
    // Hourly polling would leave it queued: only the wake-up can start it within the wait.
    expect(await until(backfillState, (state) => state !== 'queued', 'the backfill to leave the queue', 15_000, 100)).not.toBe('queued')
  })

  it('asks Zendesk for comment authors once across per-ticket jobs, and builds the context again when the account’s settings change', async () => {
    const first = await linkedTicket(stack, 'Context cached 1')
    const second = await linkedTicket(stack, 'Context cached 2')
    const agent = agentOf(stack)
    stack.sandbox.zendesk.addComment(first.ticket.id, { body: 'First look.', public: true, authorId: agent.id })
    expect((await syncNow(stack, first.ticket.id)).status).toBe(200)
    const afterFirst = usersCalls(stack)
    stack.sandbox.zendesk.addComment(second.ticket.id, { body: 'Second look.', public: true, authorId: agent.id })
    expect((await syncNow(stack, second.ticket.id)).status).toBe(200)
    expect(usersCalls(stack)).toBe(afterFirst)

    // An admin changes a setting of the account: the next job reads everything again.
    await stack.database.pool.query(
      `UPDATE zendesk_accounts SET sidebar_manual_link = CASE sidebar_manual_link WHEN 'agents' THEN 'admins' ELSE 'agents' END WHERE id = $1`,
      [stack.accountId],
    )
    stack.sandbox.zendesk.addComment(second.ticket.id, { body: 'Third look.', public: true, authorId: agent.id })
    expect((await syncNow(stack, second.ticket.id)).status).toBe(200)
    expect(usersCalls(stack)).toBeGreaterThan(afterFirst)
  })

  it('drops a webhook job when a sync claimed the ticket after the job was queued', async () => {
    const { ticket, autotaskId } = await linkedTicket(stack, 'Already synced')
    // A delivery's job, due in a few seconds; a cycle syncs the ticket meanwhile.
    const jobId = await stack.app.jobs.send(
      SYNC_TICKET_QUEUE,
      { accountId: stack.accountId, ticketId: ticket.id, trigger: 'webhook' },
      { singletonKey: ticketKey(stack.accountId, ticket.id), startAfter: 3 },
    )
    expect(jobId).toEqual(expect.any(String))
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Synced by the cycle.', public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    expect(hasNote(stack, autotaskId, 'Synced by the cycle.')).toBe(true)
    expect((await stack.app.jobs.getJobById(SYNC_TICKET_QUEUE, jobId!))?.state).toBe('created')

    // Nobody signals a job that only comes due: pg-boss finds it by polling, so wake the workers.
    const due = await stack.app.jobs.getJobById(SYNC_TICKET_QUEUE, jobId!)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due!.startAfter.getTime() - Date.now()) + 50))
    await stack.app.signals.publish(`queue:${SYNC_TICKET_QUEUE}`)
    const finished = await stack.app.ticketSync.wait(jobId!, 20_000)
    expect(finished?.state).toBe('completed')
    const { rows } = await stack.database.pool.query(
      `SELECT count(*)::int AS n FROM sync_runs WHERE zendesk_account_id = $1 AND kind = 'ticket' AND trigger = 'webhook'`,
      [stack.accountId],
    )
    expect(rows[0].n).toBe(0)
  })
})

// Two instances on one PostgreSQL: only LISTEN/NOTIFY connects them.
describe.skipIf(!onRealPostgres())('the hot path across instances (needs DATABASE_URL: a real PostgreSQL)', () => {
  let api: TestStack
  let workers: FastifyInstance
  let closeWorkersDatabase: () => Promise<void>
  beforeAll(async () => {
    api = await startScenario({ env: { ...HOURLY, PSA_LINK_ROLE: 'api' } })
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PSA_LINK_SECRET_KEY: 'a'.repeat(64),
      SANDBOX: 'off',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
      PSA_LINK_ROLE: 'workers',
      ...HOURLY,
    })
    const database = await connect(api.database.url, 'postgres', async () => undefined)
    closeWorkersDatabase = () => database.close()
    workers = Fastify({ logger: false })
    await workers.register(app, { config, database, schedule: false })
    await workers.ready()
  })
  afterAll(async () => {
    await workers?.close()
    await closeWorkersDatabase?.()
    await api?.close()
  })

  it('runs a Sync now queued by an API instance in a workers instance at once, and the API instance hears it finish', async () => {
    const { ticket, autotaskId } = await linkedTicket(api, 'Across instances')
    addComment(api, ticket.id, 'Seen by the other instance.')
    const answer = await syncNow(api, ticket.id)
    expect(answer).toMatchObject({ status: 200, body: { status: 'done' } })
    expect(hasNote(api, autotaskId, 'Seen by the other instance.')).toBe(true)
  })

  it('serves health and metrics but no sidebar, webhook or admin routes in a workers instance', async () => {
    expect((await workers.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200)
    expect((await workers.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200)
    for (const url of ['/api/v1/tickets/1', '/webhooks/zendesk/1', '/admin/']) expect((await workers.inject({ method: 'GET', url })).statusCode).toBe(404)
  })

  it('drops the workers instance’s cached context when the API instance changes a setting', async () => {
    const { ticket } = await linkedTicket(api, 'Context across instances')
    const agent = agentOf(api)
    addComment(api, ticket.id, 'Before the change.', agent.id)
    expect((await syncNow(api, ticket.id)).status).toBe(200)
    addComment(api, ticket.id, 'Still cached.', agent.id)
    const before = usersCalls(api)
    expect((await syncNow(api, ticket.id)).status).toBe(200)
    expect(usersCalls(api)).toBe(before)
    await api.database.pool.query(
      `UPDATE zendesk_accounts SET sidebar_manual_link = CASE sidebar_manual_link WHEN 'agents' THEN 'admins' ELSE 'agents' END WHERE id = $1`,
      [api.accountId],
    )
    addComment(api, ticket.id, 'After the change.', agent.id)
    expect((await syncNow(api, ticket.id)).status).toBe(200)
    expect(usersCalls(api)).toBeGreaterThan(before)
  })
})

function addComment(stack: TestStack, ticketId: number, body: string, authorId = agentOf(stack).id): void {
  stack.sandbox.zendesk.addComment(ticketId, { body, public: true, authorId })
}
