import { createAuthProvider } from './zendesk-auth'
import type { ZendeskAuth } from './zendesk-auth'
import { zendeskProtocolError } from './zendesk-errors'
import { IntegrationError } from '../../errors/integration-error'
import { createZendeskHttp } from './zendesk-http'
import type { RateLimitSnapshot } from './zendesk-http'
import { toComment, toTicket, toTicketEvent, toTicketField, toUser, toWebhook } from './zendesk-types'
import type { CustomFieldValue, ZendeskComment, ZendeskTicket, ZendeskTicketEvent, ZendeskTicketField, ZendeskUser, ZendeskWebhook } from './zendesk-types'

/**
 * PSA Link's Zendesk client: the Support API calls the sync needs, in domain words. Every failure
 * is an IntegrationError (system 'zendesk') carrying Zendesk's own error, description and details.
 */
export interface ZendeskClientOptions {
  /** https://acme.zendesk.com, or the sandbox: http://127.0.0.1:PORT/sandbox/zendesk */
  baseUrl: string
  auth: ZendeskAuth
  /**
   * Retries after a 429, 5xx, timeout or network error (default 3); a write that may have taken
   * effect (a comment, a create) is not resent but fails `outcome_unknown` (see zendesk-http).
   */
  maxRetries?: number
  timeoutMs?: number
  /** Longest Retry-After waited in-process (default 60 s); longer ones fail retryable. */
  maxRetryWaitSeconds?: number
  /** Injected in tests to observe and fast-forward waits. */
  sleep?: (milliseconds: number) => Promise<void>
  now?: () => Date
  random?: () => number
  /** Called once per HTTP request sent (retries included), for usage accounting. */
  onRequest?: () => void
}

export type ExportPosition = { startTime: Date } | { cursor: string }

export interface TicketExportPage {
  tickets: ZendeskTicket[]
  /** Persist it after the page's work is committed; resume with `{ cursor }`. */
  afterCursor: string
  /** Nothing newer right now; poll again later from `afterCursor`. */
  endOfStream: boolean
}

export interface TicketEventsPage {
  events: ZendeskTicketEvent[]
  /** Start the next page here (events of that second may repeat; dedupe by event id). */
  endTime: Date
  endOfStream: boolean
}

export interface NewComment {
  body?: string
  htmlBody?: string
  public: boolean
  authorId?: number
  /** Field values set by the same update (one update instead of two, within Zendesk's per-ticket budget). */
  customFields?: CustomFieldValue[]
}

export interface TicketFieldsUpdate {
  customFields: CustomFieldValue[]
  /**
   * The whole tag list: Update Ticket replaces tags (additional_tags/remove_tags work only in
   * update_many's bulk form), so it is sent with `updatedStamp` as a safe update and Zendesk answers
   * 409 rather than lose a tag someone added meanwhile.
   */
  tags?: { list: string[]; updatedStamp: Date }
}

export interface AddedComment {
  commentId: number
  auditId: number
  ticket: ZendeskTicket
}

/** The ticket events PSA Link listens to (webhook event subscriptions, no trigger needed). */
export const SYNC_WEBHOOK_SUBSCRIPTIONS = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.comment_added',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.subject_changed',
  'zen:event-type:ticket.custom_field_changed',
  'zen:event-type:ticket.soft_deleted',
] as const

export interface ZendeskClient {
  getTicket(id: number): Promise<ZendeskTicket>
  /** Missing and deleted tickets are simply absent from the answer. */
  getTickets(ids: number[]): Promise<ZendeskTicket[]>
  listComments(ticketId: number): Promise<ZendeskComment[]>
  exportTickets(position: ExportPosition, options?: { perPage?: number; excludeDeleted?: boolean }): Promise<TicketExportPage>
  exportTicketEvents(input: { startTime: Date; includeCommentEvents: boolean; perPage?: number }): Promise<TicketEventsPage>
  listTicketFields(): Promise<ZendeskTicketField[]>
  findOrCreateTicketField(title: string): Promise<ZendeskTicketField>
  getUsers(ids: number[]): Promise<ZendeskUser[]>
  getCurrentUser(): Promise<ZendeskUser>
  addComment(ticketId: number, comment: NewComment): Promise<AddedComment>
  setCustomFields(ticketId: number, fields: CustomFieldValue[] | Record<number, CustomFieldValue['value']>): Promise<ZendeskTicket>
  /** One update of custom fields and, optionally, the tag list (see TicketFieldsUpdate). */
  updateTicketFields(ticketId: number, update: TicketFieldsUpdate): Promise<ZendeskTicket>
  /** Creates the webhook, or returns the one with the same name, endpoint and subscriptions that exists already. */
  createWebhook(input: { name: string; endpoint: string; subscriptions?: readonly string[] }): Promise<ZendeskWebhook>
  getWebhookSigningSecret(webhookId: string): Promise<string>
  /** Removes a webhook; one already gone counts as removed. */
  deleteWebhook(webhookId: string): Promise<void>
  /** Removes a ticket field; one already gone counts as removed. */
  deleteTicketField(fieldId: number): Promise<void>
  /** Revokes the OAuth access token this client uses (DELETE /api/v2/oauth/tokens/current). */
  revokeCurrentToken(): Promise<void>
  /** The last rate-limit headers seen, for the budget meter. */
  rateLimit(): RateLimitSnapshot | null
}

const SHOW_MANY_LIMIT = 100

type Raw = Record<string, unknown>

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = []
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size))
  return result
}

function rawList(value: unknown, key: string): Raw[] {
  const list = (value as Raw | undefined)?.[key]
  if (!Array.isArray(list)) throw zendeskProtocolError(`Zendesk's answer has no "${key}" list`, value)
  return list as Raw[]
}

function rawObject(value: unknown, key: string): Raw {
  const object = (value as Raw | undefined)?.[key]
  if (object === null || typeof object !== 'object') throw zendeskProtocolError(`Zendesk's answer has no "${key}"`, value)
  return object as Raw
}

/** A delete of something already deleted (404) did what was asked. */
async function goneIsDone(request: Promise<unknown>): Promise<void> {
  try {
    await request
  } catch (error) {
    if (error instanceof IntegrationError && error.code === 'not_found') return
    throw error
  }
}

export function createZendeskClient(options: ZendeskClientOptions): ZendeskClient {
  const now = options.now ?? (() => new Date())
  const timeoutMs = options.timeoutMs ?? 30_000
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const http = createZendeskHttp({
    baseUrl,
    auth: createAuthProvider(options.auth, baseUrl, now, timeoutMs),
    maxRetries: options.maxRetries ?? 3,
    timeoutMs,
    maxRetryWaitSeconds: options.maxRetryWaitSeconds ?? 60,
    sleep: options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds))),
    random: options.random ?? Math.random,
    now,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  })

  /** `idempotent`: false when the update carries a comment (sent twice, it posts the comment twice). */
  async function updateTicket(ticketId: number, ticket: Raw, idempotent: boolean): Promise<{ ticket: ZendeskTicket; audit: Raw | null }> {
    const answer = await http.request<Raw>('PUT', `/api/v2/tickets/${ticketId}.json`, { ticket }, { idempotent })
    return { ticket: toTicket(rawObject(answer, 'ticket')), audit: (answer.audit as Raw | undefined) ?? null }
  }

  async function listWebhooks(): Promise<ZendeskWebhook[]> {
    const webhooks: ZendeskWebhook[] = []
    let next: string | null = '/api/v2/webhooks?page%5Bsize%5D=100'
    while (next) {
      const answer: Raw = await http.request<Raw>('GET', next)
      webhooks.push(...rawList(answer, 'webhooks').map(toWebhook))
      const meta = (answer.meta ?? {}) as Raw
      const links = (answer.links ?? {}) as Raw
      next = meta.has_more === true && typeof links.next === 'string' ? links.next : null
    }
    return webhooks
  }

  async function listTicketFields(): Promise<ZendeskTicketField[]> {
    const fields: ZendeskTicketField[] = []
    let next: string | null = '/api/v2/ticket_fields.json'
    while (next) {
      const answer: Raw = await http.request<Raw>('GET', next)
      fields.push(...rawList(answer, 'ticket_fields').map(toTicketField))
      next = typeof answer.next_page === 'string' ? answer.next_page : null
    }
    return fields
  }

  return {
    rateLimit: () => http.rateLimit(),

    async getTicket(id) {
      return toTicket(rawObject(await http.request('GET', `/api/v2/tickets/${id}.json`), 'ticket'))
    },

    async getTickets(ids) {
      const tickets: ZendeskTicket[] = []
      for (const chunk of chunks([...new Set(ids)], SHOW_MANY_LIMIT)) {
        const answer = await http.request('GET', `/api/v2/tickets/show_many.json?ids=${chunk.join(',')}`)
        tickets.push(...rawList(answer, 'tickets').map(toTicket))
      }
      return tickets
    },

    async listComments(ticketId) {
      const comments: ZendeskComment[] = []
      let next: string | null = `/api/v2/tickets/${ticketId}/comments.json?page%5Bsize%5D=100`
      while (next) {
        const answer: Raw = await http.request<Raw>('GET', next)
        comments.push(...rawList(answer, 'comments').map(toComment))
        const meta = (answer.meta ?? {}) as Raw
        const links = (answer.links ?? {}) as Raw
        next = meta.has_more === true && typeof links.next === 'string' ? links.next : null
      }
      return comments
    },

    async exportTickets(position, exportOptions = {}) {
      const query = new URLSearchParams()
      if ('cursor' in position) query.set('cursor', position.cursor)
      else query.set('start_time', String(Math.floor(position.startTime.getTime() / 1000)))
      if (exportOptions.perPage) query.set('per_page', String(exportOptions.perPage))
      if (exportOptions.excludeDeleted) query.set('exclude_deleted', 'true')
      const answer = await http.request<Raw>('GET', `/api/v2/incremental/tickets/cursor.json?${query}`)
      const afterCursor = typeof answer.after_cursor === 'string' ? answer.after_cursor : 'cursor' in position ? position.cursor : null
      if (afterCursor === null) throw zendeskProtocolError('the ticket export answered without an after_cursor', answer)
      return { tickets: rawList(answer, 'tickets').map(toTicket), afterCursor, endOfStream: answer.end_of_stream === true }
    },

    async exportTicketEvents(input) {
      const query = new URLSearchParams({ start_time: String(Math.floor(input.startTime.getTime() / 1000)) })
      if (input.includeCommentEvents) query.set('include', 'comment_events')
      if (input.perPage) query.set('per_page', String(input.perPage))
      const answer = await http.request<Raw>('GET', `/api/v2/incremental/ticket_events.json?${query}`)
      const endTime = typeof answer.end_time === 'number' ? new Date(answer.end_time * 1000) : input.startTime
      return { events: rawList(answer, 'ticket_events').map(toTicketEvent), endTime, endOfStream: answer.end_of_stream === true }
    },

    listTicketFields,

    async findOrCreateTicketField(title) {
      const wanted = title.trim().toLowerCase()
      const existing = (await listTicketFields()).find((field) => field.active && field.type === 'text' && field.title.trim().toLowerCase() === wanted)
      if (existing) return existing
      const answer = await http.request('POST', '/api/v2/ticket_fields.json', { ticket_field: { type: 'text', title: title.trim() } })
      return toTicketField(rawObject(answer, 'ticket_field'))
    },

    async getUsers(ids) {
      const users: ZendeskUser[] = []
      for (const chunk of chunks([...new Set(ids)], SHOW_MANY_LIMIT)) {
        const answer = await http.request('GET', `/api/v2/users/show_many.json?ids=${chunk.join(',')}`)
        users.push(...rawList(answer, 'users').map(toUser))
      }
      return users
    },

    async getCurrentUser() {
      return toUser(rawObject(await http.request('GET', '/api/v2/users/me.json'), 'user'))
    },

    async addComment(ticketId, comment) {
      if (comment.body === undefined && comment.htmlBody === undefined) {
        throw zendeskProtocolError('a comment needs a body or an htmlBody')
      }
      const { ticket, audit } = await updateTicket(
        ticketId,
        {
          comment: {
            ...(comment.htmlBody !== undefined ? { html_body: comment.htmlBody } : { body: comment.body }),
            public: comment.public,
            ...(comment.authorId !== undefined ? { author_id: comment.authorId } : {}),
          },
          ...(comment.customFields?.length ? { custom_fields: comment.customFields } : {}),
        },
        false,
      )
      const events = Array.isArray(audit?.events) ? (audit.events as Raw[]) : []
      const created = events.find((event) => event.type === 'Comment')
      if (!audit || !created || typeof created.id !== 'number') {
        throw zendeskProtocolError(`Zendesk accepted the update of ticket ${ticketId} but its audit shows no new comment`, audit)
      }
      return { commentId: created.id, auditId: Number(audit.id), ticket }
    },

    async setCustomFields(ticketId, fields) {
      const list = Array.isArray(fields) ? fields : Object.entries(fields).map(([id, value]) => ({ id: Number(id), value }))
      return (await updateTicket(ticketId, { custom_fields: list }, true)).ticket
    },

    async updateTicketFields(ticketId, update) {
      const ticket: Raw = { custom_fields: update.customFields }
      if (update.tags) {
        ticket.tags = update.tags.list
        ticket.safe_update = true
        ticket.updated_stamp = update.tags.updatedStamp.toISOString().replace(/\.\d{3}Z$/, 'Z')
      }
      return (await updateTicket(ticketId, ticket, true)).ticket
    },

    async createWebhook(input) {
      // A create whose answer was lost may have made the webhook: registering again reuses it
      // rather than leave two that both deliver every event.
      const subscriptions = [...(input.subscriptions ?? SYNC_WEBHOOK_SUBSCRIPTIONS)].sort().join(',')
      const existing = (await listWebhooks()).find(
        (webhook) => webhook.endpoint === input.endpoint && webhook.name === input.name && [...webhook.subscriptions].sort().join(',') === subscriptions,
      )
      if (existing) return existing
      const answer = await http.request('POST', '/api/v2/webhooks', {
        webhook: {
          name: input.name,
          status: 'active',
          endpoint: input.endpoint,
          http_method: 'POST',
          request_format: 'json',
          subscriptions: [...(input.subscriptions ?? SYNC_WEBHOOK_SUBSCRIPTIONS)],
        },
      })
      return toWebhook(rawObject(answer, 'webhook'))
    },

    async deleteWebhook(webhookId) {
      await goneIsDone(http.request('DELETE', `/api/v2/webhooks/${encodeURIComponent(webhookId)}`))
    },

    async deleteTicketField(fieldId) {
      await goneIsDone(http.request('DELETE', `/api/v2/ticket_fields/${fieldId}.json`))
    },

    async revokeCurrentToken() {
      await http.request('DELETE', '/api/v2/oauth/tokens/current.json')
    },

    async getWebhookSigningSecret(webhookId) {
      const answer = await http.request('GET', `/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`)
      const secret = rawObject(answer, 'signing_secret').secret
      if (typeof secret !== 'string') throw zendeskProtocolError('the signing secret answer has no secret', answer)
      return secret
    },
  }
}
