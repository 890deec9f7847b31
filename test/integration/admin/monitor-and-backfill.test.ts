import { cycle, linkOf } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

let stack: TestStack
let client: AdminClient

const twoDaysAgo = () => new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A dry run is a job: started, then polled until it has its estimate. */
async function dryRun(body: Record<string, unknown>) {
  const started = await client.post('/backfill/dry-run', body)
  expect(started.status).toBe(202)
  const id = Number(started.body.id)
  const done = await until(
    async () =>
      (await client.get(`/backfill/dry-run/${id}`)).body as {
        state: string
        progress: { pages: number; ticketsScanned: number }
        estimate: Record<string, number> | null
        error: string | null
      },
    (run) => ['succeeded', 'failed'].includes(run.state),
    'the dry run',
  )
  expect(done.error).toBeNull()
  expect(done.progress.pages).toBeGreaterThan(0)
  return done.estimate!
}

/** The account's audit actions, newest first: each test checks the ones its own requests recorded. */
async function auditActions(): Promise<string[]> {
  return ((await client.get('/audit')).body.entries as Array<{ action: string }>).map((entry) => entry.action)
}

type Backfill = {
  id: number
  state: string
  totalTickets: number | null
  progress: { ticketsDone: number; ticketsCreated: number; notesCreated: number }
  autotaskRequests: number
  error: string | null
}

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

describe('backfill from the admin console', () => {
  it('refuses a missing or future start date with a message next to the field', async () => {
    expect((await client.post('/backfill/dry-run', {})).body.fieldErrors?.startDate).toMatch(/Enter start date/)
    expect((await client.post('/backfill/dry-run', { startDate: 'yesterday-ish' })).body.fieldErrors?.startDate).toMatch(/not a date/)
    expect((await client.post('/backfill', { startDate: '2999-01-01' })).body.fieldErrors?.startDate).toMatch(/future/)
    expect((await stack.database.pool.query('SELECT count(*)::int AS n FROM backfills')).rows[0]).toEqual({ n: 0 })
  })

  it('counts what a backfill would create and its cost without writing anything in a dry run', async () => {
    const autotaskBefore = stack.sandbox.autotask.counters().byOperation.create ?? 0
    const estimate = (await dryRun({ startDate: twoDaysAgo(), includeSolved: false })) as {
      tickets: number
      routedTickets: number
      unroutedTickets: number
      notes: number
      skippedSolved: number
      withoutClusterId: number
      autotaskRequests: number
    }
    // Seed: 1 (CL-1001), 2 (CL-1002), 6 (" cl-1002 ") route; 3 (unknown) and 4 (ambiguous) do not; 5 has none; 7 is closed.
    expect(estimate.routedTickets).toBe(3)
    expect(estimate.unroutedTickets).toBe(2)
    expect(estimate.withoutClusterId).toBeGreaterThanOrEqual(1)
    expect(estimate.skippedSolved).toBeGreaterThanOrEqual(1)
    // Notes: comments after the first of the routed tickets: 1 has two more, 2 none, 6 one.
    expect(estimate.notes).toBe(3)
    // Autotask requests of a backfill of 3 tickets and 3 notes (one batch): the ticket creates and
    // the note creates (one call on SOAP, one per entity on REST), three reads (routes, the tickets
    // read back, their notes) and the account names once: SOAP 1 + 1 + 3 + 1, REST 3 + 3 + 3 + 1.
    const { rows } = await stack.database.pool.query<{ transport: string }>('SELECT transport FROM autotask_connections WHERE zendesk_account_id = $1', [
      stack.accountId,
    ])
    expect(rows.map((row) => row.transport)).toHaveLength(1)
    expect(estimate.autotaskRequests).toBe(rows[0]!.transport === 'soap' ? 6 : 10)
    expect(stack.sandbox.autotask.counters().byOperation.create ?? 0).toBe(autotaskBefore)
    expect((await stack.database.pool.query('SELECT count(*)::int AS n FROM ticket_links')).rows[0]).toEqual({ n: 0 })
    expect(await auditActions()).toContain('backfill_dry_run')
  })

  it('runs a backfill to the end with progress, creating each routed ticket once, when started', async () => {
    const estimate = await dryRun({ startDate: twoDaysAgo() })
    const started = await client.post('/backfill', { startDate: twoDaysAgo(), includeSolved: false, estimate })
    expect(started.status).toBe(202)
    const id = Number(started.body.id)
    expect((await client.post('/backfill', { startDate: twoDaysAgo() })).status).toBe(409)
    const finished = await until(
      async () => (await client.get('/backfill')).body.backfills as Backfill[],
      (list) => ['succeeded', 'failed'].includes(list[0]!.state),
      'the backfill',
    )
    const backfill = finished.find((candidate) => candidate.id === id)!
    expect(backfill.state).toBe('succeeded')
    expect(backfill.totalTickets).toBe(5)
    expect(backfill.progress.ticketsDone).toBe(5)
    expect(backfill.progress.ticketsCreated).toBe(3)
    for (const ticket of [1, 2, 6]) expect((await linkOf(stack, ticket))?.autotask_ticket_id).toBeGreaterThan(0)
    expect(await linkOf(stack, 7)).toBeUndefined()
    // Measured against the estimate (reported in the issue note).
    console.info(`backfill: estimated ${String(estimate.autotaskRequests)} Autotask requests, used ${backfill.autotaskRequests}`)
    expect(backfill.autotaskRequests).toBeGreaterThan(0)

    const again = await client.post('/backfill', { startDate: twoDaysAgo() })
    await until(
      async () => ((await client.get('/backfill')).body.backfills as Backfill[])[0]!,
      (latest) => latest.state === 'succeeded',
      'the second backfill',
    )
    expect(((await client.get('/backfill')).body.backfills as Backfill[])[0]!.progress.ticketsCreated).toBe(0)
    expect(again.status).toBe(202)
    expect(await auditActions()).toContain('backfill_started')
  })

  it('waits for the budget instead of spending the share live syncs need when the hour is nearly used', async () => {
    const connectionId = (await stack.app.tenants.listConnections(stack.accountId))[0]!.id
    stack.sandbox.zendesk.setExportLagSeconds(0)
    stack.sandbox.zendesk.createTicket({ subject: 'Late ticket', comment: { body: 'Needs a backfill' }, clusterId: 'CL-1001' })
    await stack.database.pool.query(
      `INSERT INTO autotask_request_usage (connection_id, minute, requests) VALUES ($1, date_trunc('minute', now()), 4500)
      ON CONFLICT (connection_id, minute) DO UPDATE SET requests = autotask_request_usage.requests + 4500`,
      [connectionId],
    )
    const started = await client.post('/backfill', { startDate: twoDaysAgo() })
    const id = Number(started.body.id)
    const row = async () =>
      (await stack.database.pool.query('SELECT state, error, resume_at, tickets_created FROM backfills WHERE id = $1', [id])).rows[0] as {
        state: string
        error: string | null
        resume_at: Date | null
        tickets_created: number
      }
    const waiting = await until(row, (backfill) => backfill.resume_at !== null, 'the budget wait')
    expect(waiting.error).toMatch(/live syncs keep 20%/)
    expect(waiting.resume_at!.getTime()).toBeGreaterThan(Date.now() + 60_000)
    expect(waiting.tickets_created).toBe(0)

    expect((await client.post(`/backfill/${id}/pause`)).body.state).toBe('paused')
    await stack.database.pool.query('DELETE FROM autotask_request_usage WHERE connection_id = $1', [connectionId])
    expect((await client.post(`/backfill/${id}/resume`)).status).toBe(200)
    const done = await until(row, (backfill) => backfill.state === 'succeeded', 'the resumed backfill')
    expect(done.tickets_created).toBe(1)
    expect(await auditActions()).toEqual(expect.arrayContaining(['backfill_paused', 'backfill_resumed']))
  })
})

describe('monitor and error inbox', () => {
  it('lists runs, budget meters and the inbox with links to both tickets after a cycle', async () => {
    // A problem for the inbox, filed through the engine's own store as a refused create would be.
    await stack.app.syncStore.recordProblem({
      zendeskAccountId: stack.accountId,
      connectionId: null,
      zendeskTicketId: 4,
      autotaskTicketId: null,
      code: 'autotask_create_rejected',
      message: 'Autotask refused the ticket.',
      remoteMessage: 'Value does not exist for the required field QueueID.',
      retryAt: new Date(),
    })
    await cycle(stack)
    const monitor = (await client.get('/monitor')).body as {
      runs: Array<{ kind: string }>
      budget: { autotask: Array<{ requestsLastHour: number; limit: number }>; zendesk: { perMinute: number } }
    }
    expect(monitor.runs.some((run) => run.kind === 'backfill')).toBe(true)
    expect(monitor.budget.autotask[0]!.requestsLastHour).toBeGreaterThan(0)
    expect(monitor.budget.autotask[0]!.limit).toBe(5000)
    expect(monitor.budget.zendesk.perMinute).toBeGreaterThan(0)

    const problems = (await client.get('/problems')).body.problems as Array<{
      id: number
      zendeskTicketId: number
      code: string
      zendeskUrl: string
      attempts: number
    }>
    const refused = problems.find((problem) => problem.zendeskTicketId === 4)!
    expect(refused).toMatchObject({ code: 'autotask_create_rejected', title: 'Autotask refused to create the ticket' })
    expect(refused.zendeskUrl).toBe(`${stack.origin}/sandbox/agent?ticket=4`)
  })

  it('retries a problem through a ticket sync job, and skips and resolves others, when asked', async () => {
    const problems = (await client.get('/problems')).body.problems as Array<{ id: number; zendeskTicketId: number; attempts: number }>
    const refused = problems.find((problem) => problem.zendeskTicketId === 4)!
    expect((await client.post(`/problems/${refused.id}/retry`)).status).toBe(200)
    await until(
      async () => (await stack.database.pool.query(`SELECT status FROM sync_runs WHERE trigger = 'admin-retry:4'`)).rows as Array<{ status: string }>,
      (rows) => rows.length > 0 && rows[0]!.status !== 'running',
      'the retry run',
    )
    const after = ((await client.get('/problems')).body.problems as Array<{ id: number; state: string }>).find((problem) => problem.id === refused.id)!
    expect(after.state).toBe('retrying')

    expect((await client.post('/problems/retry', { ids: [] })).body.fieldErrors?.ids).toBeDefined()
    expect((await client.post('/problems/retry', { ids: [refused.id] })).body.retried).toBe(1)
    // Queued jobs wake the workers at once, so the bulk retry's pass is already under way: its end
    // writes the ticket's own outcome (ambiguous, retried later). The skip below is the admin's
    // later decision, so it waits for that pass to end, as an admin reading the inbox would.
    await until(
      async () => (await stack.database.pool.query(`SELECT status FROM sync_runs WHERE trigger = 'admin-retry:4'`)).rows as Array<{ status: string }>,
      (rows) => rows.length === 2 && rows.every((row) => row.status !== 'running'),
      'the bulk retry run',
    )

    expect((await client.post(`/problems/${refused.id}/skip`)).status).toBe(200)
    expect(((await client.get('/problems')).body.problems as Array<{ id: number }>).some((problem) => problem.id === refused.id)).toBe(false)
    const state = (
      await stack.database.pool.query('SELECT dirty_since FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = 4', [stack.accountId])
    ).rows[0]
    expect(state).toEqual({ dirty_since: null })
    expect((await client.get('/problems?state=skipped')).body.problems).toHaveLength(1)
    expect((await client.post(`/problems/${refused.id}/resolve`)).status).toBe(200)
    expect((await client.get('/problems?state=resolved')).body.problems).toHaveLength(1)
    expect((await client.get('/problems?state=bogus')).status).toBe(400)
    expect(await auditActions()).toEqual(expect.arrayContaining(['problem_retry', 'problems_bulk_retry', 'problem_skip', 'problem_resolve']))
  })

  it('finds a ticket timeline by Zendesk id or Autotask number and forces a re-sync of it', async () => {
    const link = (await linkOf(stack, 1))!
    const byZendesk = (await client.get('/timeline?zendeskTicketId=1')).body as { link: { autotaskTicketNumber: string }; ledger: unknown[] }
    expect(byZendesk.link.autotaskTicketNumber).toBe(link.autotask_ticket_number)
    expect(byZendesk.ledger.length).toBeGreaterThan(0)
    const byAutotask = (await client.get(`/timeline?autotaskTicketNumber=${link.autotask_ticket_number}`)).body as { zendeskTicketId: number }
    expect(byAutotask.zendeskTicketId).toBe(1)
    expect((await client.get('/timeline?zendeskTicketId=abc')).body.fieldErrors?.zendeskTicketId).toBeDefined()
    expect((await client.get('/timeline?autotaskTicketNumber=T1')).body.fieldErrors?.autotaskTicketNumber).toBeDefined()
    expect((await client.get('/timeline?zendeskTicketId=424242')).status).toBe(404)

    expect((await client.post('/tickets/1/resync')).body.queued).toBe(true)
    await until(
      async () => (await client.get('/timeline?zendeskTicketId=1')).body.runs as Array<{ trigger: string; status: string }>,
      (runs) => runs.some((run) => run.trigger === 'admin-resync:1' && run.status === 'succeeded'),
      'the re-sync run',
    )
    // A forced re-sync ends clean: nothing left on the dirty list for the ticket.
    expect(
      (await stack.database.pool.query('SELECT dirty_since FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = 1', [stack.accountId]))
        .rows[0],
    ).toEqual({ dirty_since: null })
    expect(await auditActions()).toContain('ticket_resync')
  })
})
