import { createHmac } from 'node:crypto'
import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, openTicket } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { eventually, startApiStack } from './api-stack'

// ZENDESK_FACTS.md 4.7: signed ticket events from the emulator, verified over the raw body.
let stack: TestStack
let signingSecret: string
beforeAll(async () => {
  stack = await startApiStack()
  await cycle(stack)
  const { rows } = await stack.database.pool.query('SELECT webhook_id FROM zendesk_accounts WHERE id = $1', [stack.accountId])
  signingSecret = stack.sandbox.zendesk.state().webhooks.find(rows[0].webhook_id as string).signingSecret
})
afterAll(async () => {
  await stack?.close()
})

async function linkedTicket() {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  return { ticket, autotaskId: link!.autotask_ticket_id }
}

const notesSaying = (autotaskId: number, text: string) =>
  stack.sandbox.autotask.listNotes(autotaskId).filter((note) => String(note.fields.Description).includes(text))

async function deliver(body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.origin}/webhooks/zendesk/${stack.accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

function signed(body: string, at = new Date()) {
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': createHmac('sha256', signingSecret)
      .update(timestamp + body)
      .digest('base64'),
  }
}

const eventFor = (ticketId: number, actorId: number) =>
  JSON.stringify({
    type: 'zen:event-type:ticket.comment_added',
    subject: `zen:ticket:${ticketId}`,
    detail: { id: String(ticketId), actor_id: String(actorId) },
    event: {},
    id: 'e1',
    account_id: 1,
  })

async function openJobs(ticketId: number): Promise<number> {
  const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sync-ticket' AND singleton_key = $1`, [
    `ticket:${stack.accountId}:${ticketId}`,
  ])
  return rows[0].n as number
}

describe('POST /webhooks/zendesk/:accountId', () => {
  it('registers the sandbox webhook pointing at this backend with its signing secret stored sealed', async () => {
    const { rows } = await stack.database.pool.query('SELECT webhook_id, webhook_secret_enc FROM zendesk_accounts WHERE id = $1', [stack.accountId])
    const webhook = stack.sandbox.zendesk.state().webhooks.find(rows[0].webhook_id as string)
    expect(webhook.endpoint).toBe(`${stack.origin}/webhooks/zendesk/${stack.accountId}`)
    expect(rows[0].webhook_secret_enc).not.toContain(webhook.signingSecret)
  })

  it('makes the Autotask ticket show a new Zendesk comment within seconds, without a cycle', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Sent by webhook, not by the cycle.', public: true, authorId: agentOf(stack).id })
    const notes = await eventually(() => notesSaying(autotaskId, 'Sent by webhook').length > 0 && notesSaying(autotaskId, 'Sent by webhook'), 10_000)
    expect(notes).toHaveLength(1)
    const delivery = stack.sandbox.zendesk.webhookDeliveries().find((item) => item.ticketId === ticket.id && item.eventType.endsWith('comment_added'))
    expect(delivery?.status).toBe(200)
  })

  it('does no harm when the same delivery arrives again', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'Delivered twice.', public: true, authorId: agentOf(stack).id })
    await eventually(() => notesSaying(autotaskId, 'Delivered twice').length > 0, 10_000)
    const delivery = stack.sandbox.zendesk.webhookDeliveries().find((item) => item.ticketId === ticket.id && item.eventType.endsWith('comment_added'))!
    const again = await deliver(delivery.body, {
      'x-zendesk-webhook-signature': delivery.signature,
      'x-zendesk-webhook-signature-timestamp': delivery.timestamp,
    })
    expect(again.body).toMatchObject({ status: 'queued' })
    await stack.app.ticketSync.wait(again.body.jobId as string, 10_000)
    expect(notesSaying(autotaskId, 'Delivered twice')).toHaveLength(1)
  })

  it('answers 401 and queues nothing when the signature is forged', async () => {
    const { ticket } = await linkedTicket()
    const body = eventFor(ticket.id, agentOf(stack).id)
    const before = await openJobs(ticket.id)
    const answer = await deliver(body, { ...signed(body), 'x-zendesk-webhook-signature': createHmac('sha256', 'guess').update(body).digest('base64') })
    expect(answer).toMatchObject({ status: 401, body: { code: 'bad_signature', message: expect.stringContaining('does not match') } })
    expect(await openJobs(ticket.id)).toBe(before)
  })

  it('answers 401 and queues nothing when the body was changed after signing', async () => {
    const { ticket } = await linkedTicket()
    const body = eventFor(ticket.id, agentOf(stack).id)
    const before = await openJobs(ticket.id)
    const answer = await deliver(body.replace(`zen:ticket:${ticket.id}`, 'zen:ticket:1'), signed(body))
    expect(answer.status).toBe(401)
    expect(await openJobs(ticket.id)).toBe(before)
    expect(await openJobs(1)).toBe(0)
  })

  it('answers 401 and queues nothing when the timestamp is stale', async () => {
    const { ticket } = await linkedTicket()
    const body = eventFor(ticket.id, agentOf(stack).id)
    const before = await openJobs(ticket.id)
    const answer = await deliver(body, signed(body, new Date(Date.now() - 10 * 60_000)))
    expect(answer).toMatchObject({ status: 401, body: { code: 'stale_timestamp', message: expect.stringContaining('replay') } })
    expect(await openJobs(ticket.id)).toBe(before)
  })

  it('answers 401 when the signature headers are missing', async () => {
    const answer = await deliver(eventFor(1, 1), {})
    expect(answer).toMatchObject({ status: 401, body: { code: 'missing' } })
  })

  it('ignores a change made by the integration user', async () => {
    const { ticket } = await linkedTicket()
    const body = eventFor(ticket.id, stack.sandbox.zendesk.state().integrationUser.id)
    const before = await openJobs(ticket.id)
    const answer = await deliver(body, signed(body))
    expect(answer).toMatchObject({ status: 200, body: { status: 'ignored', jobId: null } })
    expect(await openJobs(ticket.id)).toBe(before)
  })

  it('queues a sync for a correctly signed event', async () => {
    const { ticket } = await linkedTicket()
    const body = eventFor(ticket.id, agentOf(stack).id)
    const answer = await deliver(body, signed(body))
    expect(answer).toMatchObject({ status: 200, body: { status: 'queued', jobId: expect.any(String) } })
  })
})
