import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { authenticate } from './authenticate'
import type { CommentInput, EmulatorTicket, TicketChanges, TicketCreateInput } from './data'
import type { ZendeskEmulator } from './emulator'
import { badRequest, EmulatorError, forbidden, recordInvalid, recordNotFound } from './errors'
import { actingUser, endUserMayCall } from './impersonation'
import { createLatency } from './latency'
import type { WindowState } from './limits'
import { incrementalExportRoutes } from './incremental-export-routes'
import { paginate } from './pagination'
import { isoSeconds, presentAudit, presentComment, presentRequest, presentTicket, presentTicketField, presentUser } from './presenters'
import { presentWebhook } from './webhooks'
import { loseResponse } from '../lost-responses'
import { waitOutsideService } from '../service-clock'

/**
 * The Support API under /api/v2, with Zendesk's paths (`.json` optional), JSON shapes, pagination,
 * limits and error envelopes, for everything PSA Link's client uses.
 */
export interface ApiRoutesOptions {
  emulator: ZendeskEmulator
}

type Query = Record<string, string | undefined>
type Body = Record<string, unknown>

const authenticatedUsers = new WeakMap<FastifyRequest, number>()

function actorOf(request: FastifyRequest): number {
  const userId = authenticatedUsers.get(request)
  if (userId === undefined) throw new Error('request was not authenticated')
  return userId
}

function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null
  return Number(value)
}

function idParam(request: FastifyRequest): number {
  const id = positiveInt((request.params as Record<string, string | undefined>).id)
  if (id === null) throw recordNotFound()
  return id
}

function idList(value: string | undefined): number[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))
    .map(Number)
}

function asObject(value: unknown): Body | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : null
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function parseComment(raw: unknown): CommentInput | undefined {
  const comment = asObject(raw)
  if (!comment) return undefined
  const input: CommentInput = {}
  const body = optionalString(comment.body)
  const htmlBody = optionalString(comment.html_body)
  if (body !== undefined) input.body = body
  if (htmlBody !== undefined) input.htmlBody = htmlBody
  if (comment.public !== undefined) input.public = comment.public !== false && comment.public !== 'false'
  if (comment.author_id !== undefined && comment.author_id !== null) input.authorId = Number(comment.author_id)
  return input
}

function parseCustomFields(raw: unknown): Array<{ id: number; value: unknown }> | undefined {
  if (Array.isArray(raw)) {
    return raw
      .map(asObject)
      .filter((item): item is Body => item !== null)
      .map((item) => ({ id: Number(item.id), value: item.value }))
  }
  const map = asObject(raw)
  return map ? Object.entries(map).map(([id, value]) => ({ id: Number(id), value })) : undefined
}

function parseTicketChanges(ticket: Body): TicketChanges {
  const changes: TicketChanges = {}
  const subject = optionalString(ticket.subject)
  if (subject !== undefined) changes.subject = subject
  if (ticket.status !== undefined) changes.status = String(ticket.status)
  if (ticket.priority !== undefined) changes.priority = ticket.priority === null ? null : String(ticket.priority)
  if (ticket.type !== undefined) changes.type = ticket.type === null ? null : String(ticket.type)
  if (ticket.assignee_id !== undefined) changes.assigneeId = ticket.assignee_id === null ? null : Number(ticket.assignee_id)
  if (ticket.external_id !== undefined) changes.externalId = ticket.external_id === null ? null : String(ticket.external_id)
  if (Array.isArray(ticket.tags)) changes.tags = ticket.tags.map(String)
  const customFields = parseCustomFields(ticket.custom_fields ?? ticket.fields)
  if (customFields) changes.customFields = customFields
  const comment = parseComment(ticket.comment)
  if (comment) changes.comment = comment
  if (ticket.safe_update === true && typeof ticket.updated_stamp === 'string') {
    changes.safeUpdate = { updatedStamp: ticket.updated_stamp }
  }
  return changes
}

function recordInvalidClient(): EmulatorError {
  return recordInvalid({ client: [{ description: 'Client: cannot be blank', error: 'BlankValue' }] })
}

function rateLimitHeaders(reply: FastifyReply, budget: WindowState): void {
  reply.header('x-rate-limit', String(budget.limit))
  reply.header('x-rate-limit-remaining', String(budget.remaining))
  reply.header('ratelimit-limit', String(budget.limit))
  reply.header('ratelimit-remaining', String(budget.remaining))
  reply.header('ratelimit-reset', String(budget.resetSeconds))
}

function encodeCommentCursor(commentId: number): string {
  return Buffer.from(`c:${commentId}`).toString('base64url')
}

function decodeCommentCursor(cursor: string): number {
  const match = /^c:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match?.[1]) throw badRequest('InvalidPaginationParameter', 'page[after] is not a valid cursor')
  return Number(match[1])
}

const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (fastify, { emulator }) => {
  const apiBase = (request: FastifyRequest): string => `${request.protocol}://${request.host}${fastify.prefix.replace(/\/api\/v2$/, '')}`

  function route(method: HTTPMethods, path: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
    const served = method === 'GET' ? handler : writeLosingAnswers(handler)
    fastify.route({ method, url: path, handler: served })
    fastify.route({ method, url: `${path}.json`, handler: served })
  }

  /** A write that took effect may then lose its answer (the emulator's lost-responses fault). */
  function writeLosingAnswers(handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const payload = await handler(request, reply)
      if (reply.sent || reply.statusCode >= 300) return payload
      const lost = emulator.lostResponses.draw()
      return lost ? loseResponse(reply, lost, emulator.lostResponses.settings().holdMs) : payload
    }
  }

  const latency = createLatency()
  fastify.addHook('onRequest', async (request, reply) => {
    const faults = emulator.faults()
    const waitMs = latency(faults)
    if (waitMs > 0) await waitOutsideService(request, new Promise((resolve) => setTimeout(resolve, waitMs)))
    if (faults.outage) {
      throw new EmulatorError(503, { error: 'ServiceUnavailable', description: 'Zendesk is temporarily unavailable. Please try again later.' })
    }
    if (faults.failNext && faults.failNext.count > 0) {
      const { status, count } = faults.failNext
      emulator.setFaults({ failNext: count > 1 ? { status, count: count - 1 } : null })
      throw new EmulatorError(status, { error: 'InternalError', description: 'Something went wrong while processing the request' })
    }
    if (faults.errorRate > 0 && emulator.lostResponses.random() < faults.errorRate) {
      throw new EmulatorError(500, { error: 'InternalError', description: 'Something went wrong while processing the request' })
    }
    const state = emulator.state()
    const actor = actingUser(state.store, authenticate(state, request.headers.authorization), request.headers['x-on-behalf-of'])
    const path = `/api/v2${request.url.split('?')[0]?.slice(fastify.prefix.length) ?? ''}`
    if (actor.role === 'end-user' && !endUserMayCall(path)) throw forbidden()
    authenticatedUsers.set(request, actor.id)
    try {
      rateLimitHeaders(reply, emulator.accountBudget())
    } catch (error) {
      const limit = emulator.limits().accountRequestsPerMinute
      rateLimitHeaders(reply, { limit, remaining: 0, resetSeconds: Number(error instanceof EmulatorError ? error.headers['retry-after'] : 60) })
      throw error
    }
  })

  const store = () => emulator.state().store

  function takeEndpointLimit(kind: 'ticketUpdate' | 'export', ticketId?: number, userId?: number): void {
    const state = emulator.state()
    const limits = emulator.limits()
    const now = emulator.now().getTime()
    if (kind === 'export') {
      state.exportWindow.take(
        'export',
        now,
        limits.incrementalExportsPerMinute,
        `The incremental exports rate limit of ${limits.incrementalExportsPerMinute} requests per minute was exceeded`,
      )
      return
    }
    state.ticketUpdateWindow.take(
      'updates',
      now,
      limits.ticketUpdatesPerMinute,
      `The Update Ticket rate limit of ${limits.ticketUpdatesPerMinute} requests per minute was exceeded`,
    )
    state.perTicketWindow.take(
      `${ticketId}:${userId}`,
      now,
      limits.updatesPerTicketPerUser,
      'Rate limit for ticket updates exceeded, please wait before updating this ticket again',
    )
  }

  function showTicket(ticket: EmulatorTicket, request: FastifyRequest): Record<string, unknown> {
    return presentTicket(ticket, store(), apiBase(request))
  }

  // List Tickets (GET /api/v2/tickets): in id order (`sort_order=desc` reverses), optionally only those
  // with an `external_id`, by offset or cursor pages. PSA Link itself does not list; other clients do.
  route('GET', '/tickets', async (request) => {
    const query = request.query as Query
    const externalId = query.external_id
    const tickets = [...store().tickets.values()]
      .filter((ticket) => !ticket.deleted && (externalId === undefined || ticket.externalId === externalId))
      .sort((a, b) => (query.sort_order === 'desc' ? b.id - a.id : a.id - b.id))
    const keep: Record<string, string> = {}
    if (externalId !== undefined) keep.external_id = externalId
    if (query.sort_order !== undefined) keep.sort_order = query.sort_order
    const page = paginate(tickets, (ticket) => ticket.id, query, `${apiBase(request)}/api/v2/tickets.json`, keep)
    return { tickets: page.items.map((ticket) => showTicket(ticket, request)), ...page.envelope }
  })

  route('GET', '/tickets/show_many', async (request) => {
    const ids = idList((request.query as Query).ids)
    const tickets = ids.map((id) => store().tickets.get(id)).filter((ticket): ticket is EmulatorTicket => ticket !== undefined && !ticket.deleted)
    return { tickets: tickets.map((ticket) => showTicket(ticket, request)), next_page: null, previous_page: null, count: tickets.length }
  })

  route('GET', '/tickets/:id', async (request) => ({ ticket: showTicket(store().findTicket(idParam(request)), request) }))

  route('POST', '/tickets', async (request, reply) => {
    const body = asObject(asObject(request.body)?.ticket)
    if (!body) throw badRequest('InvalidEndpoint', 'Missing ticket parameter')
    const actorId = actorOf(request)
    const input: TicketCreateInput = parseTicketChanges(body)
    if (body.requester_id !== undefined) input.requesterId = Number(body.requester_id)
    if (body.via_followup_source_id !== undefined) input.followupSourceId = Number(body.via_followup_source_id)
    const requester = asObject(body.requester)
    if (requester && typeof requester.email === 'string') {
      const existing = [...store().users.values()].find((user) => user.email === requester.email)
      input.requesterId = (existing ?? store().createUser({ name: String(requester.name ?? requester.email), email: requester.email, role: 'end-user' })).id
    }
    const result = store().createTicket(input, actorId)
    reply.code(201).header('location', `${apiBase(request)}/api/v2/tickets/${result.ticket.id}.json`)
    return { ticket: showTicket(result.ticket, request), audit: presentAudit(result.audit) }
  })

  route('PUT', '/tickets/:id', async (request) => {
    const ticketId = idParam(request)
    const actorId = actorOf(request)
    store().findTicket(ticketId)
    takeEndpointLimit('ticketUpdate', ticketId, actorId)
    const body = asObject(asObject(request.body)?.ticket)
    // A body not wrapped in {"ticket": …} is accepted and changes nothing, as Zendesk does.
    if (!body) return { ticket: showTicket(store().findTicket(ticketId), request) }
    const result = store().updateTicket(ticketId, parseTicketChanges(body), actorId)
    return { ticket: showTicket(result.ticket, request), audit: presentAudit(result.audit) }
  })

  route('DELETE', '/tickets/:id', async (request, reply) => {
    store().deleteTicket(idParam(request), actorOf(request))
    return reply.code(204).send()
  })

  route('GET', '/tickets/:id/comments', async (request) => {
    const ticket = store().findTicket(idParam(request))
    const query = request.query as Query
    const base = `${apiBase(request)}/api/v2/tickets/${ticket.id}/comments.json`
    const cursorMode = query['page[size]'] !== undefined || query['page[after]'] !== undefined
    if (!cursorMode) {
      const perPage = Math.min(100, positiveInt(query.per_page) ?? 100)
      const page = Math.max(1, positiveInt(query.page) ?? 1)
      const slice = ticket.comments.slice((page - 1) * perPage, page * perPage)
      const hasNext = page * perPage < ticket.comments.length
      return {
        comments: slice.map((comment) => presentComment(comment, apiBase(request))),
        next_page: hasNext ? `${base}?page=${page + 1}&per_page=${perPage}` : null,
        previous_page: page > 1 ? `${base}?page=${page - 1}&per_page=${perPage}` : null,
        count: ticket.comments.length,
      }
    }
    const size = query['page[size]'] === undefined ? 100 : positiveInt(query['page[size]'])
    if (size === null || size < 1 || size > 100) {
      throw badRequest('InvalidPaginationParameter', 'page[size] must be an integer between 1 and 100')
    }
    const after = query['page[after]'] ? decodeCommentCursor(query['page[after]']) : null
    const remaining = after === null ? ticket.comments : ticket.comments.filter((comment) => comment.id > after)
    const slice = remaining.slice(0, size)
    const hasMore = remaining.length > slice.length
    const first = slice[0]
    const last = slice[slice.length - 1]
    const afterCursor = last ? encodeCommentCursor(last.id) : null
    return {
      comments: slice.map((comment) => presentComment(comment, apiBase(request))),
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: first ? encodeCommentCursor(first.id) : null },
      links: {
        prev: null,
        next: hasMore && afterCursor ? `${base}?page%5Bafter%5D=${afterCursor}&page%5Bsize%5D=${size}` : null,
      },
    }
  })

  incrementalExportRoutes({ route, emulator, apiBase, takeExportLimit: () => takeEndpointLimit('export') })

  // The Requests API: a ticket as its requester sees it. End users comment here (always publicly);
  // the Tickets API is for agents.
  function requestOf(request: FastifyRequest): EmulatorTicket {
    const ticket = store().findTicket(idParam(request))
    if (ticket.requesterId !== actorOf(request)) throw recordNotFound()
    return ticket
  }

  route('GET', '/requests/:id', async (request) => ({ request: presentRequest(requestOf(request), store(), apiBase(request)) }))

  route('PUT', '/requests/:id', async (request) => {
    const ticket = requestOf(request)
    const actorId = actorOf(request)
    takeEndpointLimit('ticketUpdate', ticket.id, actorId)
    const body = asObject(asObject(request.body)?.request)
    if (!body) return { request: presentRequest(ticket, store(), apiBase(request)) }
    const changes: TicketChanges = {}
    const comment = parseComment(body.comment)
    if (comment) changes.comment = { ...comment, public: true, authorId: actorId }
    if (body.solved === true || body.solved === 'true') changes.status = 'solved'
    const result = store().updateTicket(ticket.id, changes, actorId)
    return { request: presentRequest(result.ticket, store(), apiBase(request)) }
  })

  // The OAuth Clients and OAuth Tokens APIs, as far as an admin needs them to mint a token with chosen
  // scopes (e.g. "impersonate"): list the clients, create a token. Admins only.
  function requireAdmin(request: FastifyRequest): number {
    const actorId = actorOf(request)
    if (store().users.get(actorId)?.role !== 'admin') throw forbidden()
    return actorId
  }

  route('GET', '/oauth/clients', async (request) => {
    requireAdmin(request)
    const clients = [...emulator.state().oauth.clients.values()]
    return {
      clients: clients.map((client) => ({
        id: client.id,
        url: `${apiBase(request)}/api/v2/oauth/clients/${client.id}.json`,
        name: client.name,
        identifier: client.clientId,
        kind: 'confidential',
        redirect_uri: client.redirectUris,
        global: false,
        // The client belongs to the account's admin who registered it (the integration user here).
        user_id: emulator.integrationUserId,
        company: null,
        description: null,
        logo_url: null,
      })),
      next_page: null,
      previous_page: null,
      count: clients.length,
    }
  })

  route('POST', '/oauth/tokens', async (request, reply) => {
    const userId = requireAdmin(request)
    const body = asObject(asObject(request.body)?.token) ?? {}
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : []
    const created = emulator.state().oauth.createToken({ clientResourceId: Number(body.client_id), scopes, userId })
    if (!created) throw recordInvalidClient()
    reply.code(201)
    return {
      token: {
        id: created.id,
        url: `${apiBase(request)}/api/v2/oauth/tokens/${created.id}.json`,
        token: created.token,
        client_id: created.clientResourceId,
        user_id: created.userId,
        scopes: created.scopes,
        created_at: isoSeconds(created.createdAt),
        expires_at: null,
        used_at: null,
        refresh_token: null,
        refresh_token_expires_at: null,
      },
    }
  })

  route('GET', '/ticket_fields', async (request) => {
    const fields = [...store().ticketFields.values()].sort((a, b) => a.position - b.position || a.id - b.id)
    return { ticket_fields: fields.map((field) => presentTicketField(field, apiBase(request))), next_page: null, previous_page: null, count: fields.length }
  })

  route('GET', '/ticket_fields/:id', async (request) => {
    const field = store().ticketFields.get(idParam(request))
    if (!field) throw recordNotFound()
    return { ticket_field: presentTicketField(field, apiBase(request)) }
  })

  route('POST', '/ticket_fields', async (request, reply) => {
    const body = asObject(asObject(request.body)?.ticket_field) ?? {}
    const field = store().createTicketField(body)
    reply.code(201)
    return { ticket_field: presentTicketField(field, apiBase(request)) }
  })

  route('DELETE', '/ticket_fields/:id', async (request, reply) => {
    if (store().users.get(actorOf(request))?.role !== 'admin') throw forbidden()
    if (!store().ticketFields.delete(idParam(request))) throw recordNotFound()
    return reply.code(204).send()
  })

  // Revoke Token: `current` names the bearer token the request carries (OAuth Tokens API).
  route('DELETE', '/oauth/tokens/current', async (request, reply) => {
    const header = request.headers.authorization ?? ''
    if (!/^bearer /i.test(header) || !emulator.state().oauth.revoke(header.slice(7).trim())) throw recordNotFound()
    return reply.code(204).send()
  })

  route('GET', '/users/me', async (request) => {
    const user = store().users.get(actorOf(request))
    if (!user) throw recordNotFound()
    return { user: presentUser(user, apiBase(request)) }
  })

  route('GET', '/users/show_many', async (request) => {
    const users = idList((request.query as Query).ids)
      .map((id) => store().users.get(id))
      .filter((user) => user !== undefined)
    return { users: users.map((user) => presentUser(user, apiBase(request))), next_page: null, previous_page: null, count: users.length }
  })

  route('GET', '/users/:id', async (request) => {
    const user = store().users.get(idParam(request))
    if (!user) throw recordNotFound()
    return { user: presentUser(user, apiBase(request)) }
  })

  route('POST', '/webhooks', async (request, reply) => {
    const body = asObject(asObject(request.body)?.webhook) ?? {}
    const webhook = emulator.state().webhooks.create(body, actorOf(request))
    reply.code(201)
    return { webhook: presentWebhook(webhook) }
  })

  route('GET', '/webhooks', async () => ({
    webhooks: [...emulator.state().webhooks.webhooks.values()].map(presentWebhook),
    meta: { has_more: false, after_cursor: null, before_cursor: null },
    links: { prev: null, next: null },
  }))

  route('GET', '/webhooks/:webhookId', async (request) => {
    const { webhookId } = request.params as { webhookId: string }
    return { webhook: presentWebhook(emulator.state().webhooks.find(webhookId)) }
  })

  route('DELETE', '/webhooks/:webhookId', async (request, reply) => {
    const { webhookId } = request.params as { webhookId: string }
    emulator.state().webhooks.find(webhookId)
    emulator.state().webhooks.webhooks.delete(webhookId)
    return reply.code(204).send()
  })

  route('GET', '/webhooks/:webhookId/signing_secret', async (request) => {
    const { webhookId } = request.params as { webhookId: string }
    return { signing_secret: { algorithm: 'SHA256', secret: emulator.state().webhooks.find(webhookId).signingSecret } }
  })
}

export default apiRoutes
