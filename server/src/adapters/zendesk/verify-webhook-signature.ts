import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Checks a Zendesk webhook request (developer.zendesk.com/documentation/webhooks/verifying):
 * signature = base64(HMAC-SHA256(secret, timestamp + raw body)), no separator, over the raw bytes.
 * Timestamps too far from now are refused, so a captured request cannot be replayed later.
 */
export interface WebhookSignatureInput {
  signingSecret: string
  /** X-Zendesk-Webhook-Signature */
  signature: string | undefined | null
  /** X-Zendesk-Webhook-Signature-Timestamp (ISO 8601, as Zendesk sends it) */
  timestamp: string | undefined | null
  /** The body exactly as received; a re-serialised JSON object would not match. */
  rawBody: string | Buffer
  now?: Date
  toleranceSeconds?: number
}

export type WebhookSignatureResult = { ok: true } | { ok: false; reason: 'missing' | 'bad_signature' | 'stale_timestamp' }

const DEFAULT_TOLERANCE_SECONDS = 300

export function verifyZendeskWebhookSignature(input: WebhookSignatureInput): WebhookSignatureResult {
  const { signingSecret, signature, timestamp, rawBody } = input
  if (!signingSecret || !signature || !timestamp) return { ok: false, reason: 'missing' }
  const expected = createHmac('sha256', signingSecret)
    .update(Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]))
    .digest()
  const presented = Buffer.from(signature, 'base64')
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: 'bad_signature' }
  const sentAt = Date.parse(timestamp)
  const now = (input.now ?? new Date()).getTime()
  const tolerance = (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > tolerance) return { ok: false, reason: 'stale_timestamp' }
  return { ok: true }
}
