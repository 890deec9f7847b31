import { autotaskNotesOf, autotaskTicketOf, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import { cycle, linkOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { HISTORY_TAG } from '../../../server/sandbox/src/zendesk/seed-history'
import { signedIn } from '../admin/admin-client'
import { callApi, sidebarToken } from '../api/api-stack'
import { SANDBOX_QUEUE_LABEL } from '../../../server/sandbox/src/sandbox-tenant'

// The sandbox's first-run pages over HTTP: the Autotask ticket page PSA Link's links lead to (a
// technician's note from it is mirrored), the preview's reply route (an agent's comment, heard by
// the webhook) and "Seed 200 historical tickets" (left for a backfill).
let stack: TestStack

beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => stack?.close())

async function ticketLinkOf(zendeskId: number): Promise<string> {
  const link = await linkOf(stack, zendeskId)
  const context = await stack.app.syncContexts.forAccount(stack.accountId)
  return context.connections[0]!.gateway.ticketUrl(link!.autotask_ticket_id)
}

function formToken(html: string): string {
  return /name="token" value="([^"]+)"/.exec(html)![1]!
}

async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })
}

describe('the sandbox’s Autotask ticket page', () => {
  it('shows the number, title, status, account and each note’s author when PSA Link’s ticket link is opened', async () => {
    const url = await ticketLinkOf(1)
    expect(url.startsWith(`${stack.origin}/sandbox/autotask/`)).toBe(true)
    const response = await fetch(url)
    expect(response.status).toBe(200)
    const html = await response.text()
    const ticket = (await autotaskTicketOf(stack, 1))!
    expect(html).toContain(`<dd id="ticket-number">${String(ticket.fields.TicketNumber)}</dd>`)
    expect(html).toContain('Cluster CL-1001 node 3 unreachable')
    expect(html).toContain('<dd id="ticket-status">New</dd>')
    expect(html).toContain('<dd id="ticket-account">Northwind Traders</dd>')
    // The seeded comments were mirrored by PSA Link's API user, and the page says so.
    expect(html).toMatch(/PSA Link API \(API user\) · <time/)
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
  })

  it('escapes what the ticket and its notes hold when they carry markup', async () => {
    const link = await linkOf(stack, 1)
    stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { title: '<img src=x onerror=alert(1)>', description: '<script>alert(1)</script>' })
    const html = await (await fetch(await ticketLinkOf(1))).text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
  })

  it('adds the note as the chosen technician and PSA Link mirrors it to Zendesk when the form is sent', async () => {
    const url = await ticketLinkOf(2)
    const html = await (await fetch(url)).text()
    const resourceId = /<option value="(\d+)">Jonas Berg<\/option>/.exec(html)![1]!
    const action = `${stack.origin}${/<form method="post" action="([^"]+)"/.exec(html)![1]!}`
    const ticketId = String((await linkOf(stack, 2))!.autotask_ticket_id)
    const response = await postForm(
      action,
      { token: formToken(html), ticketId, resourceId, title: 'On site', description: 'Swapped the PSU, node is back.', publish: '1' },
      { origin: stack.origin },
    )
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toMatch(new RegExp(`TicketDetail\\.mvc\\?ticketId=${ticketId}#note-\\d+$`))
    const note = (await autotaskNotesOf(stack, 2)).find((candidate) => candidate.fields.Description === 'Swapped the PSU, node is back.')!
    expect(note.fields.CreatorResourceID).toBe(Number(resourceId))
    expect(note.fields.CreatorResourceID).not.toBe(stack.sandbox.autotask.database().apiResourceId)
    expect(await (await fetch(url)).text()).toMatch(
      /Jonas Berg · <time[^>]*>[^<]*<\/time> · Task Notes · All Autotask Users<\/div>\s*<div class="note-title">On site<\/div>/,
    )

    await cycle(stack)
    expect(zendeskCommentsOf(stack, 2).some((comment) => comment.body.includes('Swapped the PSU, node is back.'))).toBe(true)
  })

  it('refuses a note without the page’s form token or from another site', async () => {
    const url = await ticketLinkOf(1)
    const html = await (await fetch(url)).text()
    const action = `${stack.origin}${/<form method="post" action="([^"]+)"/.exec(html)![1]!}`
    const resourceId = /<option value="(\d+)">Tara Nguyen<\/option>/.exec(html)![1]!
    const ticketId = String((await linkOf(stack, 1))!.autotask_ticket_id)
    const before = (await autotaskNotesOf(stack, 1)).length
    expect((await postForm(action, { token: 'guessed', ticketId, resourceId, description: 'forged' })).status).toBe(403)
    expect((await postForm(action, { ticketId, resourceId, description: 'forged' })).status).toBe(403)
    expect((await postForm(action, { token: formToken(html), ticketId, resourceId, description: 'forged' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    )
    expect((await autotaskNotesOf(stack, 1)).length).toBe(before)
  })
})

describe('the sandbox’s demo ticket in the sidebar', () => {
  it('names the queue its Autotask ticket was filed in, one the emulator’s demo data has', async () => {
    const ticket = (await autotaskTicketOf(stack, 1))!
    const queue = stack.sandbox.autotask.database().picklists.Ticket?.QueueID?.find((entry) => entry.value === ticket.fields.QueueID)
    expect(queue?.label).toBe(SANDBOX_QUEUE_LABEL)
    const answer = await callApi(stack, 'GET', '/api/v1/tickets/1', sidebarToken(1))
    expect(answer.status).toBe(200)
    expect(answer.body.autotask).toMatchObject({ queue: { id: queue!.value, label: 'Level I Support' } })
  })
})

describe('the preview’s reply box', () => {
  it('writes the comment as the agent, whom the webhook names as the actor, when an agent replies', async () => {
    const zendesk = stack.sandbox.zendesk
    const webhook = [...zendesk.state().webhooks.webhooks.values()][0]!
    webhook.status = 'active'
    try {
      const response = await fetch(`${stack.origin}/sandbox/agent/tickets/1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.origin },
        body: JSON.stringify({ body: 'Replacement PSU arrives tomorrow.', public: false }),
      })
      expect(response.status).toBe(201)
      const agent = zendesk.agents()[0]!
      const comment = zendesk.ticket(1)!.comments.at(-1)!
      expect(comment).toMatchObject({ authorId: agent.id, public: false, body: 'Replacement PSU arrives tomorrow.' })
      await zendesk.webhooksSettled()
      const delivery = zendesk
        .webhookDeliveries()
        .find((candidate) => candidate.eventType === 'zen:event-type:ticket.comment_added' && candidate.ticketId === 1)!
      expect(delivery.actorId).toBe(agent.id)
      expect(delivery.actorId).not.toBe(zendesk.integrationUserId)
      await expect
        .poll(async () => (await autotaskNotesOf(stack, 1)).some((note) => note.fields.Description === 'Replacement PSU arrives tomorrow.'), {
          timeout: 10_000,
        })
        .toBe(true)
    } finally {
      webhook.status = 'inactive'
    }
  })

  it('refuses a reply from another site or without a body', async () => {
    const count = stack.sandbox.zendesk.ticket(1)!.comments.length
    const post = (body: unknown, origin: string) =>
      fetch(`${stack.origin}/sandbox/agent/tickets/1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify(body),
      })
    expect((await post({ body: 'forged', public: true }, 'https://evil.example')).status).toBe(403)
    expect((await post({ body: '   ', public: true }, stack.origin)).status).toBe(400)
    expect((await post({ body: 'no flag' }, stack.origin)).status).toBe(400)
    expect(stack.sandbox.zendesk.ticket(1)!.comments.length).toBe(count)
  })
})

describe('seeding 200 historical tickets', () => {
  it('creates 200 unlinked tickets with Cluster IDs that no cycle links and a backfill finds, once', async () => {
    const page = await (await fetch(`${stack.origin}/sandbox`)).text()
    const deliveries = stack.sandbox.zendesk.webhookDeliveries().length
    // PSA Link's webhook listens while the history is written: it must hear nothing.
    const webhook = [...stack.sandbox.zendesk.state().webhooks.webhooks.values()][0]!
    webhook.status = 'active'
    const first = await postForm(`${stack.origin}/sandbox/seed-history`, { token: formToken(page) }, { origin: stack.origin }).finally(() => {
      webhook.status = 'inactive'
    })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe('/sandbox?seeded=200')
    const history = stack.sandbox.zendesk.tickets().filter((ticket) => ticket.tags.includes(HISTORY_TAG))
    expect(history).toHaveLength(200)
    expect(history.every((ticket) => ticket.customFields.get(stack.sandbox.zendesk.clusterIdFieldId))).toBe(true)
    expect(history.every((ticket) => ticket.comments.length >= 2 && Date.now() - ticket.updatedAt.getTime() > 86_400_000)).toBe(true)
    expect(stack.sandbox.zendesk.webhookDeliveries().length).toBe(deliveries)

    const again = await postForm(`${stack.origin}/sandbox/seed-history`, { token: formToken(page) }, { origin: stack.origin })
    expect(again.headers.get('location')).toBe('/sandbox?seeded=0')
    expect(stack.sandbox.zendesk.tickets().filter((ticket) => ticket.tags.includes(HISTORY_TAG))).toHaveLength(200)
    expect(await (await fetch(`${stack.origin}/sandbox?seeded=0`)).text()).toContain('200 historical tickets are in the Zendesk emulator')

    await cycle(stack)
    const ids = history.map((ticket) => ticket.id)
    const { rows } = await stack.database.pool.query(
      'SELECT count(*)::int AS n FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2)',
      [stack.accountId, ids],
    )
    expect(rows[0]).toEqual({ n: 0 })

    const client = await signedIn(stack)
    const startDate = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
    // The dry run is a job: started (202), then polled until its estimate is ready.
    const dryRun = await client.post('/backfill/dry-run', { startDate, includeSolved: false })
    expect(dryRun.status).toBe(202)
    type DryRun = { state: string; estimate: { routedTickets: number; skippedSolved: number } | null }
    await expect
      .poll(async () => ((await client.get(`/backfill/dry-run/${Number(dryRun.body.id)}`)).body as DryRun).state, { timeout: 60_000, interval: 250 })
      .toBe('succeeded')
    const estimate = ((await client.get(`/backfill/dry-run/${Number(dryRun.body.id)}`)).body as DryRun).estimate!
    // One in ten has an unknown Cluster ID and one in ten is solved (seed-history.ts).
    expect(estimate.routedTickets).toBe(160)
    expect(estimate.skippedSolved).toBeGreaterThanOrEqual(20)

    // The backfill the console shows with its progress bar links them.
    const started = await client.post('/backfill', { startDate, includeSolved: false, estimate })
    expect(started.status).toBe(202)
    type Backfill = { id: number; state: string; totalTickets: number | null; progress: { ticketsDone: number; ticketsCreated: number } }
    await expect
      .poll(async () => ((await client.get('/backfill')).body.backfills as Backfill[]).find((backfill) => backfill.id === Number(started.body.id))?.state, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe('succeeded')
    const done = ((await client.get('/backfill')).body.backfills as Backfill[]).find((backfill) => backfill.id === Number(started.body.id))!
    expect(done.progress.ticketsCreated).toBe(160)
    const linked = await stack.database.pool.query(
      'SELECT count(*)::int AS n FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2) AND autotask_ticket_id IS NOT NULL',
      [stack.accountId, ids],
    )
    expect(linked.rows[0]).toEqual({ n: 160 })
  })

  it('refuses to seed without the sandbox page’s form token', async () => {
    expect((await postForm(`${stack.origin}/sandbox/seed-history`, { token: 'guessed' })).status).toBe(403)
  })
})
