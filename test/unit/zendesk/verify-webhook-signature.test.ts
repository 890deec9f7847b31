import { createHmac } from 'node:crypto'
import { verifyZendeskWebhookSignature } from '../../../server/src/adapters/zendesk/verify-webhook-signature'

const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=='
const body = '{"type":"zen:event-type:ticket.created","detail":{"id":"42"}}'
const timestamp = '2026-03-01T10:00:00Z'
const now = new Date('2026-03-01T10:01:00Z')
const sign = (key: string, at: string, raw: string): string =>
  createHmac('sha256', key)
    .update(at + raw)
    .digest('base64')

describe('verifyZendeskWebhookSignature', () => {
  it('accepts a request signed over timestamp + raw body when the timestamp is recent', () => {
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, timestamp, body), timestamp, rawBody: body, now })).toEqual({
      ok: true,
    })
    expect(
      verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, timestamp, body), timestamp, rawBody: Buffer.from(body), now }),
    ).toEqual({ ok: true })
  })

  it('refuses a signature made with another secret or over another body', () => {
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign('other', timestamp, body), timestamp, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    expect(
      verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, timestamp, body), timestamp, rawBody: body.replace('42', '43'), now }),
    ).toEqual({ ok: false, reason: 'bad_signature' })
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: 'not base64 at all', timestamp, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('refuses a correctly signed request when its timestamp is stale or in the future', () => {
    const old = '2026-03-01T09:50:00Z'
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, old, body), timestamp: old, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    })
    const future = '2026-03-01T10:20:00Z'
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, future, body), timestamp: future, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    })
    expect(
      verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, old, body), timestamp: old, rawBody: body, now, toleranceSeconds: 900 }),
    ).toEqual({ ok: true })
  })

  it('reports missing when a header or the secret is absent', () => {
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: undefined, timestamp, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'missing',
    })
    expect(verifyZendeskWebhookSignature({ signingSecret: secret, signature: sign(secret, timestamp, body), timestamp: null, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'missing',
    })
    expect(verifyZendeskWebhookSignature({ signingSecret: '', signature: sign('', timestamp, body), timestamp, rawBody: body, now })).toEqual({
      ok: false,
      reason: 'missing',
    })
  })
})
