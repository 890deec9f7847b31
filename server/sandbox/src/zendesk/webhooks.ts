import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { EmulatorClock } from './clock'
import type { EmulatorTicket, TicketChangeResult, ZendeskStore } from './data'
import { webhookError } from './errors'
import { isoSeconds } from './presenters'

/**
 * Event-subscribed webhooks (developer.zendesk.com/api-reference/webhooks/event-types/ticket-events):
 * a ticket change becomes `zen:event-type:ticket.*` events, each POSTed, signed like Zendesk signs
 * (base64 HMAC-SHA256 over timestamp + raw body), to every active webhook subscribed to it.
 * The sandbox only ever delivers to loopback addresses.
 */
export const TICKET_EVENT_TYPES = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.comment_added',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.subject_changed',
  'zen:event-type:ticket.custom_field_changed',
  'zen:event-type:ticket.external_id_changed',
  'zen:event-type:ticket.tags_changed',
  'zen:event-type:ticket.agent_assignment_changed',
  'zen:event-type:ticket.soft_deleted',
] as const

const ZENDESK_EVENT_VERSION = '2022-11-06'

export interface EmulatorWebhook {
  id: string
  name: string
  status: 'active' | 'inactive'
  endpoint: string
  httpMethod: string
  requestFormat: string
  subscriptions: string[]
  signingSecret: string
  createdAt: Date
  updatedAt: Date
  createdBy: number
}

export interface WebhookDelivery {
  webhookId: string
  eventType: string
  ticketId: number
  actorId: number
  endpoint: string
  timestamp: string
  signature: string
  body: string
  status: number | null
  error: string | null
}

export interface WebhookRegistry {
  readonly webhooks: Map<string, EmulatorWebhook>
  create(input: Record<string, unknown>, actorId: number): EmulatorWebhook
  find(id: string): EmulatorWebhook
  deliveries(): WebhookDelivery[]
  /** Resolves when every delivery started so far has finished (tests wait on it). */
  settled(): Promise<void>
  clear(): void
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
    const host = url.hostname.replace(/^\[|\]$/g, '')
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  } catch {
    return false
  }
}

/** A ULID-looking id, as Zendesk gives webhooks. */
function webhookId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  const bytes = randomBytes(24)
  return '01' + [...bytes].map((byte) => alphabet[byte % 32]).join('')
}

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64')
}

function eventTypesFor(change: TicketChangeResult): Array<{ type: string; event: Record<string, unknown> }> {
  const events: Array<{ type: string; event: Record<string, unknown> }> = []
  const { audit, comment } = change
  if (change.created) {
    events.push({ type: 'zen:event-type:ticket.created', event: {} })
    return events
  }
  if (change.changedFields.includes('deleted')) {
    events.push({ type: 'zen:event-type:ticket.soft_deleted', event: {} })
    return events
  }
  if (comment) {
    events.push({
      type: 'zen:event-type:ticket.comment_added',
      event: { comment: { id: String(comment.id), body: comment.body, is_public: comment.public, author: { id: String(comment.authorId) } } },
    })
  }
  for (const auditEvent of audit.events) {
    if (auditEvent.type !== 'Change') continue
    const current = auditEvent.value
    const previous = auditEvent.previousValue
    const byField: Record<string, string> = {
      status: 'zen:event-type:ticket.status_changed',
      priority: 'zen:event-type:ticket.priority_changed',
      subject: 'zen:event-type:ticket.subject_changed',
      external_id: 'zen:event-type:ticket.external_id_changed',
      tags: 'zen:event-type:ticket.tags_changed',
      assignee_id: 'zen:event-type:ticket.agent_assignment_changed',
    }
    const type = byField[auditEvent.fieldName] ?? (/^\d+$/.test(auditEvent.fieldName) ? 'zen:event-type:ticket.custom_field_changed' : null)
    if (!type) continue
    const event =
      type === 'zen:event-type:ticket.custom_field_changed' ? { custom_field: { id: auditEvent.fieldName }, current, previous } : { current, previous }
    events.push({ type, event })
  }
  return events
}

function ticketDetail(ticket: EmulatorTicket, actorId: number): Record<string, unknown> {
  return {
    actor_id: String(actorId),
    assignee_id: ticket.assigneeId === null ? null : String(ticket.assigneeId),
    brand_id: null,
    created_at: isoSeconds(ticket.createdAt),
    custom_status: null,
    description: ticket.description,
    external_id: ticket.externalId,
    form_id: null,
    group_id: null,
    id: String(ticket.id),
    is_public: ticket.comments.some((comment) => comment.public),
    organization_id: null,
    priority: ticket.priority ? ticket.priority.toUpperCase() : null,
    requester_id: String(ticket.requesterId),
    status: (ticket.deleted ? 'deleted' : ticket.status).toUpperCase(),
    subject: ticket.subject,
    submitter_id: String(ticket.submitterId),
    tags: ticket.tags,
    type: ticket.type ? ticket.type.toUpperCase() : null,
    updated_at: isoSeconds(ticket.updatedAt),
    via: { channel: 'web_service' },
  }
}

export function createWebhookRegistry(store: ZendeskStore, clock: EmulatorClock, accountId: number): WebhookRegistry {
  const webhooks = new Map<string, EmulatorWebhook>()
  const deliveries: WebhookDelivery[] = []
  const inFlight = new Set<Promise<void>>()

  async function deliver(webhook: EmulatorWebhook, delivery: WebhookDelivery): Promise<void> {
    if (!isLoopbackUrl(webhook.endpoint)) {
      delivery.error = 'refused: the sandbox delivers webhooks to loopback addresses only'
      return
    }
    try {
      const response = await fetch(webhook.endpoint, {
        method: webhook.httpMethod,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zendesk Webhook',
          'x-zendesk-account-id': String(accountId),
          'x-zendesk-webhook-id': webhook.id,
          'x-zendesk-webhook-invocation-id': randomUUID(),
          'x-zendesk-webhook-signature': delivery.signature,
          'x-zendesk-webhook-signature-timestamp': delivery.timestamp,
        },
        body: delivery.body,
        signal: AbortSignal.timeout(12_000),
      })
      delivery.status = response.status
      await response.arrayBuffer()
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error)
    }
  }

  store.onChange((change) => {
    const active = [...webhooks.values()].filter((webhook) => webhook.status === 'active')
    if (active.length === 0) return
    const time = clock.now()
    for (const { type, event } of eventTypesFor(change)) {
      const payload = {
        account_id: accountId,
        detail: ticketDetail(change.ticket, change.actorId),
        event: { ...event, meta: { sequence: { id: String(change.audit.id), position: 1, total: 1 } } },
        id: randomUUID(),
        subject: `zen:ticket:${change.ticket.id}`,
        time: time.toISOString(),
        type,
        zendesk_event_version: ZENDESK_EVENT_VERSION,
      }
      const body = JSON.stringify(payload)
      for (const webhook of active) {
        if (!webhook.subscriptions.includes(type)) continue
        const timestamp = isoSeconds(time)
        const delivery: WebhookDelivery = {
          webhookId: webhook.id,
          eventType: type,
          ticketId: change.ticket.id,
          actorId: change.actorId,
          endpoint: webhook.endpoint,
          timestamp,
          signature: signWebhookBody(webhook.signingSecret, timestamp, body),
          body,
          status: null,
          error: null,
        }
        deliveries.push(delivery)
        const sending = deliver(webhook, delivery).finally(() => inFlight.delete(sending))
        inFlight.add(sending)
      }
    }
  })

  return {
    webhooks,
    create(input, actorId) {
      const name = typeof input.name === 'string' ? input.name.trim() : ''
      const endpoint = typeof input.endpoint === 'string' ? input.endpoint : ''
      const httpMethod = typeof input.http_method === 'string' ? input.http_method.toUpperCase() : 'POST'
      const requestFormat = typeof input.request_format === 'string' ? input.request_format : 'json'
      const status = input.status === 'inactive' ? 'inactive' : 'active'
      const subscriptions = Array.isArray(input.subscriptions) ? input.subscriptions.filter((item): item is string => typeof item === 'string') : []
      if (name === '') throw webhookError(400, 'InvalidInput', 'Invalid input', 'name is required')
      if (!/^https?:\/\//.test(endpoint)) throw webhookError(400, 'InvalidInput', 'Invalid input', 'endpoint must be a valid URL')
      if (!isLoopbackUrl(endpoint)) {
        throw webhookError(400, 'InvalidInput', 'Invalid input', 'endpoint: the sandbox only delivers to loopback addresses (127.0.0.1, ::1, localhost)')
      }
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(httpMethod)) {
        throw webhookError(400, 'InvalidInput', 'Invalid input', 'http_method is invalid')
      }
      if (!['json', 'xml', 'form_encoded'].includes(requestFormat)) {
        throw webhookError(400, 'InvalidInput', 'Invalid input', 'request_format is invalid')
      }
      if (subscriptions.length === 0) throw webhookError(400, 'InvalidInput', 'Invalid input', 'subscriptions is required')
      const unknown = subscriptions.find((item) => item !== 'conditional_ticket_events' && !(TICKET_EVENT_TYPES as readonly string[]).includes(item))
      if (unknown) throw webhookError(400, 'InvalidInput', 'Invalid input', `subscriptions: unsupported event type ${unknown}`)
      const at = clock.now()
      const webhook: EmulatorWebhook = {
        id: webhookId(),
        name,
        status,
        endpoint,
        httpMethod,
        requestFormat,
        subscriptions,
        signingSecret: randomBytes(32).toString('base64'),
        createdAt: at,
        updatedAt: at,
        createdBy: actorId,
      }
      webhooks.set(webhook.id, webhook)
      return webhook
    },
    find(id) {
      const webhook = webhooks.get(id)
      if (!webhook) throw webhookError(404, 'WebhookNotFound', 'Webhook not found', `No webhook with id ${id}`)
      return webhook
    },
    deliveries: () => [...deliveries],
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
    clear() {
      webhooks.clear()
      deliveries.length = 0
    },
  }
}

export function presentWebhook(webhook: EmulatorWebhook): Record<string, unknown> {
  return {
    id: webhook.id,
    name: webhook.name,
    status: webhook.status,
    endpoint: webhook.endpoint,
    http_method: webhook.httpMethod,
    request_format: webhook.requestFormat,
    subscriptions: webhook.subscriptions,
    created_at: isoSeconds(webhook.createdAt),
    created_by: String(webhook.createdBy),
    updated_at: isoSeconds(webhook.updatedAt),
    updated_by: String(webhook.createdBy),
  }
}
