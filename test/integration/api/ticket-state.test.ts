import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, openTicket } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { callApi, eventually, settled, sidebarToken, startApiStack } from './api-stack'

// server/src/sync/README.md R19, answered from PostgreSQL over real HTTP.
let stack: TestStack
beforeAll(async () => {
  stack = await startApiStack()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

const getTicket = (ticketId: number, query = '') => callApi(stack, 'GET', `/api/v1/tickets/${ticketId}${query}`, sidebarToken(ticketId))
const autotaskRequests = () => stack.sandbox.autotask.counters().total

describe('GET /api/v1/tickets/:id', () => {
  it('shows the Autotask ticket number, link, labels and notes of a linked ticket without calling Autotask', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Fan noise' })
    await cycle(stack)
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Replacing the fan now.', public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    await settled(stack)
    const link = await linkOf(stack, ticket.id)
    const before = autotaskRequests()
    expect(before).toBeGreaterThan(0)
    const answer = await getTicket(ticket.id)
    expect(autotaskRequests()).toBe(before)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      zendeskTicketId: ticket.id,
      state: 'linked',
      clusterId: 'CL-1001',
      autotask: {
        ticketId: link!.autotask_ticket_id,
        ticketNumber: link!.autotask_ticket_number,
        title: expect.stringContaining('Fan noise'),
        connectionName: 'Sandbox Autotask',
      },
    })
    const autotask = answer.body.autotask as { url: string; status: { id: number; label: string }; priority: { label: string } }
    expect(autotask.url).toMatch(/^https?:\/\//)
    expect(autotask.status.label).not.toBe(String(autotask.status.id))
    expect(answer.body.lastSyncedAt).toEqual(expect.any(String))
    const notes = answer.body.notes as { items: Array<Record<string, unknown>>; nextCursor: string | null }
    expect(notes.items[0]).toMatchObject({ origin: 'zendesk', author: agentOf(stack).name, public: true, state: 'synced', text: 'Replacing the fan now.' })
  })

  it('pages notes newest first with an opaque cursor', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    for (let index = 1; index <= 23; index += 1) {
      stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { title: `Note ${index}`, description: `Autotask note ${index}`, publish: 1 })
    }
    await settled(stack)
    await cycle(stack)
    await settled(stack)
    const first = await getTicket(ticket.id)
    const firstPage = first.body.notes as { items: Array<{ text: string; origin: string }>; nextCursor: string | null }
    expect(firstPage.items).toHaveLength(5)
    expect(firstPage.items[0]!.text).toContain('Autotask note 23')
    expect(firstPage.items[0]!.origin).toBe('autotask')
    const texts = firstPage.items.map((note) => note.text)
    let cursor = firstPage.nextCursor
    while (cursor) {
      const page = (await getTicket(ticket.id, `?notesCursor=${encodeURIComponent(cursor)}`)).body.notes as {
        items: Array<{ text: string }>
        nextCursor: string | null
      }
      expect(page.items.length).toBeLessThanOrEqual(5)
      texts.push(...page.items.map((note) => note.text))
      cursor = page.nextCursor
    }
    expect(texts).toEqual(Array.from({ length: 23 }, (_, index) => expect.stringContaining(`Autotask note ${23 - index}`)))
  })

  it('answers 400 when the notes cursor was not given out by the API', async () => {
    const answer = await getTicket(1, '?notesCursor=forged')
    expect(answer.status).toBe(400)
    expect(answer.body.message).toMatch(/notesCursor/)
  })

  it('says why when a ticket is unrouted', async () => {
    const answer = await getTicket(3)
    expect(answer.body).toMatchObject({ state: 'unrouted', autotask: null, clusterId: 'CL-7777', message: expect.stringContaining('CL-7777') })
  })

  it('gives a ticket closed before it got its Cluster ID its own reason, not "no Cluster ID"', async () => {
    // Seeded ticket 7 carries CL-1001 and was closed before PSA Link saw it.
    const closed = await getTicket(7)
    expect(closed.body).toMatchObject({ state: 'not_eligible', reason: 'closed_when_eligible', clusterId: 'CL-1001' })
    const empty = await getTicket(5)
    expect(empty.body).toMatchObject({ state: 'not_eligible', reason: 'no_cluster_id' })
  })

  it('names the Autotask accounts of an ambiguous Cluster ID', async () => {
    const answer = await getTicket(4)
    expect(answer.body.state).toBe('ambiguous')
    const candidates = answer.body.candidates as Array<{ accountName?: string | null }>
    expect(candidates.length).toBeGreaterThan(1)
    for (const candidate of candidates) expect(candidate.accountName).toEqual(expect.any(String))
  })

  it('shows a linked ticket on a paused connection as paused before any change waits', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    expect((await getTicket(ticket.id)).body.state).toBe('linked')
    await stack.database.pool.query('UPDATE autotask_connections SET paused = true WHERE zendesk_account_id = $1', [stack.accountId])
    try {
      expect((await getTicket(ticket.id)).body).toMatchObject({
        state: 'paused',
        reason: 'connection_paused',
        autotask: { connectionName: 'Sandbox Autotask' },
      })
      // A pass while paused records the pause…
      await callApi(stack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, sidebarToken(ticket.id))
    } finally {
      await stack.database.pool.query('UPDATE autotask_connections SET paused = false WHERE zendesk_account_id = $1', [stack.accountId])
    }
    // …and the resume ends it at once, not at the next pass.
    expect((await getTicket(ticket.id)).body).toMatchObject({ state: 'linked', reason: null })
  })

  it('shows open problems with their next retry', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    const at = new Date(Date.now() + 60_000)
    await stack.app.syncStore.recordProblem({
      zendeskAccountId: stack.accountId,
      connectionId: null,
      zendeskTicketId: ticket.id,
      autotaskTicketId: null,
      code: 'autotask_rejected',
      message: 'Autotask refused the ticket',
      remoteMessage: 'Value does not exist',
      retryAt: at,
    })
    const answer = await getTicket(ticket.id)
    expect(answer.body.problems).toEqual([
      { code: 'autotask_rejected', message: 'Autotask refused the ticket', remoteMessage: 'Value does not exist', attempts: 1, nextRetryAt: at.toISOString() },
    ])
  })

  it('answers pending for a ticket never seen and queues its first sync', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1002' })
    const answer = await getTicket(ticket.id)
    expect(answer.body).toMatchObject({ state: 'pending', autotask: null, message: expect.stringContaining('not synced this ticket yet') })
    const linked = await eventually(async () => (await getTicket(ticket.id)).body.state === 'linked', 15_000)
    expect(linked).toBe(true)
  })

  it('answers not_eligible without queueing when the account has no Autotask connection', async () => {
    const accountId = await stack.app.tenants.createAccount({ subdomain: 'bare', baseUrl: 'http://127.0.0.1:9/bare', appSharedSecret: 'bare-secret' })
    const answer = await callApi(stack, 'GET', '/api/v1/tickets/1', sidebarToken(1, { claims: { iss: 'bare' }, secret: 'bare-secret' }))
    expect(answer.body).toMatchObject({ state: 'not_eligible', message: expect.stringContaining('No Autotask connection') })
    const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'accountId' = $1`, [String(accountId)])
    expect(rows[0].n).toBe(0)
  })
})
