import { createHmac } from 'node:crypto'
import type { TestStack } from '../../helpers/test-stack'
import { startApiStack } from '../api/api-stack'

// Issue 13: the webhook receiver must not tell which account ids exist. An unknown account, or
// one without a webhook, is refused exactly as a forged signature is.
let stack: TestStack
beforeAll(async () => {
  stack = await startApiStack()
})
afterAll(async () => {
  await stack?.close()
})

const body = JSON.stringify({
  type: 'zen:event-type:ticket.comment_added',
  subject: 'zen:ticket:1',
  detail: { id: '1', actor_id: '5' },
  event: {},
  id: 'e1',
  account_id: 1,
})

function signedWith(secret: string, at = new Date()) {
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': createHmac('sha256', secret)
      .update(timestamp + body)
      .digest('base64'),
  }
}

async function deliver(accountId: number, headers: Record<string, string>) {
  const response = await stack.app.inject({
    method: 'POST',
    url: `/webhooks/zendesk/${accountId}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  })
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() }
}

it('answers an unknown account exactly as a forged signature for a known one', async () => {
  const headers = signedWith('a-guessed-secret')
  const forged = await deliver(stack.accountId, headers)
  const unknown = await deliver(987_654, headers)
  expect(forged).toMatchObject({ status: 401, body: { code: 'bad_signature' } })
  expect(unknown).toEqual(forged)
})

it('answers an account without a webhook exactly as a forged signature for a known one', async () => {
  const withoutWebhook = await stack.app.tenants.createAccount({ subdomain: 'nowebhook', baseUrl: 'http://127.0.0.1:9/nowebhook' })
  const headers = signedWith('a-guessed-secret')
  expect(await deliver(withoutWebhook, headers)).toEqual(await deliver(stack.accountId, headers))
})

it('answers an unknown account exactly as a known one when the signature headers are missing or stale', async () => {
  expect(await deliver(987_654, {})).toEqual(await deliver(stack.accountId, {}))
  const stale = signedWith('a-guessed-secret', new Date(Date.now() - 3_600_000))
  const known = await deliver(stack.accountId, stale)
  expect(known.status).toBe(401)
  expect(await deliver(987_654, stale)).toEqual(known)
})
