import { cycle, linkOf } from '../../helpers/sync-driver'
import { openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { callApi, eventually, settled, sidebarToken } from './api-stack'

// Sync now: one job for many clicks, a new sync for every click that finds none running, and the
// job poll for slow syncs.
// No webhook here: a ticket.created delivery would sync each new ticket before the clicks.
// Sync now waits (4 s in production) for the sync before answering 202; a loaded 2-core machine
// may need longer, so the tests that expect the finished sync let it wait as long as the test may
// run, and the test of the 202 holds Autotask's answers (a latch, not a latency) past a short wait.
let stack: TestStack
let slowStack: TestStack
beforeAll(async () => {
  stack = await startScenario({ api: { syncWaitMs: 45_000 } })
  await cycle(stack)
  slowStack = await startScenario({ api: { syncWaitMs: 200 } })
  await cycle(slowStack)
})
afterAll(async () => {
  await stack?.close()
  await slowStack?.close()
})

const syncNow = (ticketId: number) => callApi(stack, 'POST', `/api/v1/tickets/${ticketId}/sync`, sidebarToken(ticketId))
async function ticketRuns(trigger = 'sync_now'): Promise<number> {
  const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE kind = 'ticket' AND trigger = $1`, [trigger])
  return rows[0].n as number
}

describe('POST /api/v1/tickets/:id/sync', () => {
  it('runs one sync for 50 simultaneous requests and gives every one its result', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1002', subject: 'Fifty clicks' })
    await settled(stack)
    const before = await ticketRuns()
    const answers = await Promise.all(Array.from({ length: 50 }, () => syncNow(ticket.id)))
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200))
    expect(await ticketRuns()).toBe(before + 1)
    const jobIds = new Set(answers.map((answer) => answer.body.jobId))
    expect(jobIds.size).toBe(1)
    expect([...jobIds][0]).toEqual(expect.any(String))
    for (const answer of answers) {
      expect(answer.body).toMatchObject({
        status: 'done',
        ticket: { zendeskTicketId: ticket.id, state: 'linked', autotask: { ticketNumber: expect.any(String) } },
      })
    }
  })

  it('syncs again and brings in a technician’s new note when clicked right after a sync', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    const first = await syncNow(ticket.id)
    expect(first.body).toMatchObject({ status: 'done', ticket: { state: 'linked' } })
    const link = await linkOf(stack, ticket.id)
    stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { description: 'Swapped the PSU a moment ago.', publish: 1 })
    const before = await ticketRuns()
    const second = await syncNow(ticket.id)
    expect(second.body).toMatchObject({ status: 'done', jobId: expect.any(String), ticket: { state: 'linked', checkedAt: expect.any(String) } })
    expect(await ticketRuns()).toBe(before + 1)
    const notes = (second.body.ticket as { notes: { items: Array<{ text: string }> } }).notes.items
    expect(notes.some((note) => note.text.includes('Swapped the PSU a moment ago.'))).toBe(true)
  })

  it('answers 202 with a job when the sync is slow, and the poll answers done with the new state', async () => {
    const ticket = openTicket(slowStack, { clusterId: 'CL-1001', subject: 'Slow sync' })
    const hold = slowStack.sandbox.autotask.holdRequests()
    let jobId: string
    try {
      const answer = await callApi(slowStack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, sidebarToken(ticket.id))
      expect(answer.status).toBe(202)
      expect(answer.body).toMatchObject({ status: 'queued', jobId: expect.any(String), ticket: { zendeskTicketId: ticket.id } })
      jobId = answer.body.jobId as string
      const queued = await callApi(slowStack, 'GET', `/api/v1/jobs/${jobId}`, sidebarToken(ticket.id))
      expect(queued.status).toBe(200)
      expect(queued.body.status).not.toBe('done')
    } finally {
      hold.release()
    }
    const done = await eventually(async () => {
      const poll = await callApi(slowStack, 'GET', `/api/v1/jobs/${jobId}`, sidebarToken(ticket.id))
      expect(poll.status).toBe(200)
      return poll.body.status === 'done' ? poll.body : null
    }, 30_000)
    expect(done).toMatchObject({ jobId, ticket: { state: 'linked', autotask: { ticketNumber: expect.any(String) } } })
  })

  it('answers 404 when the polled job belongs to another ticket', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    const jobId = await stack.app.ticketSync.request(stack.accountId, ticket.id, 'test')
    const answer = await callApi(stack, 'GET', `/api/v1/jobs/${jobId}`, sidebarToken(1))
    expect(answer.status).toBe(404)
    expect(answer.body.message).toMatch(/for ticket 1/)
  })
})

describe('rate limit', () => {
  it('answers 429 per Zendesk account once the minute’s budget is spent', async () => {
    const other = await stack.app.tenants.createAccount({ subdomain: 'busy', baseUrl: 'http://127.0.0.1:9/busy', appSharedSecret: 'busy-secret' })
    expect(other).toBeGreaterThan(0)
    const token = sidebarToken(1, { claims: { iss: 'busy' }, secret: 'busy-secret' })
    const answers = []
    for (let batch = 0; batch < 31; batch += 1) {
      answers.push(...(await Promise.all(Array.from({ length: 20 }, () => callApi(stack, 'GET', '/api/v1/tickets/1', token)))))
    }
    const limited = answers.filter((answer) => answer.status === 429)
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(600)
    expect(limited).toHaveLength(20)
    expect(limited[0]!.body).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/this Zendesk account.*600 a minute/) })
    // Another account is not held back by this one's traffic.
    expect((await callApi(stack, 'GET', '/api/v1/tickets/1', sidebarToken(1))).status).toBe(200)
  })
})
