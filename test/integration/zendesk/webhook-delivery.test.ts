import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { verifyZendeskWebhookSignature } from '../../../server/src/adapters/zendesk/verify-webhook-signature'
import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

interface WebhookPayload {
  type: string
  subject: string
  detail: Record<string, unknown>
  event: Record<string, unknown>
}

interface Received {
  path: string
  headers: Record<string, string | string[] | undefined>
  rawBody: string
}

let running: RunningZendeskEmulator
let receiver: Server
let receiverUrl: string
const received: Received[] = []

beforeAll(async () => {
  running = await startZendeskEmulator({ seedTickets: false })
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const address = receiver.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  receiverUrl = `http://127.0.0.1:${address.port}`
})

afterAll(async () => {
  await running.close()
  await new Promise<void>((resolve) => receiver.close(() => resolve()))
})

async function deliveriesSettled(count: number): Promise<Received[]> {
  await running.emulator.webhooksSettled()
  await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(count))
  return received.slice(0, count)
}

const header = (item: Received, name: string): string | undefined => {
  const value = item.headers[name]
  return Array.isArray(value) ? value[0] : value
}

describe('webhook deliveries from the emulator', () => {
  it('signs real deliveries so that good, wrongly signed and stale requests are told apart', async () => {
    const { emulator } = running
    const client = createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER })
    const webhook = await client.createWebhook({ name: 'PSA Link', endpoint: `${receiverUrl}/zendesk/webhook` })
    const secret = await client.getWebhookSigningSecret(webhook.id)
    const createdOnly = await client.createWebhook({
      name: 'Created only',
      endpoint: `${receiverUrl}/created-only`,
      subscriptions: ['zen:event-type:ticket.created'],
    })

    const requester = emulator.requester()
    const ticket = emulator.createTicket({
      subject: 'Webhook ticket',
      comment: { body: 'hello', authorId: requester.id },
      requesterId: requester.id,
      clusterId: 'CL-1001',
    })
    await client.addComment(ticket.id, { body: 'from Autotask', public: false })
    // created ×2 (both webhooks), comment_added, and status_changed (an agent's reply opens a new ticket)
    const deliveries = await deliveriesSettled(4)
    expect(received).toHaveLength(4)

    expect(deliveries.filter((item) => item.path === '/created-only')).toHaveLength(1)
    const ours = deliveries.filter((item) => item.path === '/zendesk/webhook').map((item) => ({ item, payload: JSON.parse(item.rawBody) as WebhookPayload }))
    const ofType = (type: string) => ours.find((delivery) => delivery.payload.type === `zen:event-type:ticket.${type}`)
    const [created, commented] = [ofType('created'), ofType('comment_added')]
    expect(ofType('status_changed')?.payload.event).toMatchObject({ current: 'open', previous: 'new' })
    expect(created?.payload).toMatchObject({
      type: 'zen:event-type:ticket.created',
      subject: `zen:ticket:${ticket.id}`,
      detail: { id: String(ticket.id), actor_id: String(requester.id) },
    })
    expect(commented?.payload).toMatchObject({
      type: 'zen:event-type:ticket.comment_added',
      detail: { id: String(ticket.id), actor_id: String(emulator.integrationUserId) },
      event: { comment: { body: 'from Autotask', is_public: false } },
    })
    expect(header(commented!.item, 'x-zendesk-webhook-id')).toBe(webhook.id)
    expect(header(commented!.item, 'user-agent')).toBe('Zendesk Webhook')
    expect(createdOnly.id).not.toBe(webhook.id)

    for (const { item } of [created!, commented!]) {
      const input = {
        signature: header(item, 'x-zendesk-webhook-signature'),
        timestamp: header(item, 'x-zendesk-webhook-signature-timestamp'),
        rawBody: item.rawBody,
      }
      expect(verifyZendeskWebhookSignature({ signingSecret: secret, ...input })).toEqual({ ok: true })
      const otherSecret = await client.getWebhookSigningSecret(createdOnly.id)
      expect(verifyZendeskWebhookSignature({ signingSecret: otherSecret, ...input })).toEqual({ ok: false, reason: 'bad_signature' })
      expect(verifyZendeskWebhookSignature({ signingSecret: secret, ...input, rawBody: item.rawBody.replace('"zen:ticket', '"zen:tickets') })).toEqual({
        ok: false,
        reason: 'bad_signature',
      })
    }

    // A delivery whose timestamp is an hour old (the emulator's clock set back) is refused as stale.
    received.length = 0
    emulator.setNow(new Date(Date.now() - 3600_000))
    emulator.updateTicket(ticket.id, { status: 'pending' }, emulator.agents()[0]!.id)
    emulator.setNow(null)
    const [stale] = await deliveriesSettled(1)
    expect(JSON.parse(stale!.rawBody)).toMatchObject({ type: 'zen:event-type:ticket.status_changed', event: { current: 'pending', previous: 'open' } })
    expect(
      verifyZendeskWebhookSignature({
        signingSecret: secret,
        signature: header(stale!, 'x-zendesk-webhook-signature'),
        timestamp: header(stale!, 'x-zendesk-webhook-signature-timestamp'),
        rawBody: stale!.rawBody,
      }),
    ).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(emulator.webhookDeliveries().every((delivery) => delivery.status === 200)).toBe(true)
  })
})
