import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import type { ZendeskClientOptions } from '../../../server/src/adapters/zendesk/zendesk-client'
import { buildAuthorizationUrl, exchangeAuthorizationCode, refreshAccessToken } from '../../../server/src/adapters/zendesk/zendesk-oauth'
import type { ZendeskTokens } from '../../../server/src/adapters/zendesk/zendesk-oauth'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { loadZendeskOpenApi } from '../../helpers/zendesk-openapi'
import { fastForwardSleep, SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

let running: RunningZendeskEmulator

beforeAll(async () => {
  running = await startZendeskEmulator()
})
afterAll(async () => {
  await running.close()
})
beforeEach(() => {
  running.emulator.reset()
  running.emulator.setExportLagSeconds(0)
})

function client(overrides: Partial<ZendeskClientOptions> = {}) {
  return createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER, sleep: fastForwardSleep(running.emulator).sleep, ...overrides })
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof IntegrationError) return error
    throw error
  }
  throw new Error('expected a failure')
}

function newTicket(subject = 'Contract ticket', clusterId: string | null = 'CL-1001') {
  const { emulator } = running
  return emulator.createTicket({
    subject,
    comment: { body: 'Opening words', authorId: emulator.requester().id },
    requesterId: emulator.requester().id,
    clusterId,
  })
}

const sandboxClient = { clientId: 'psa-link-sandbox', clientSecret: 'sandbox-oauth-secret' }

async function authorizeInBrowser(redirectUri: string): Promise<{ code: string; state: string }> {
  const page = await fetch(buildAuthorizationUrl({ baseUrl: running.baseUrl, clientId: sandboxClient.clientId, redirectUri, state: 'xyz-state' }))
  const html = await page.text()
  expect(page.status).toBe(200)
  const action = /action="([^"]+)"/.exec(html)?.[1]
  const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]?.replace(/&amp;/g, '&')]))
  const approval = await fetch(new URL(action ?? '', running.baseUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, decision: 'allow' }),
    redirect: 'manual',
  })
  expect(approval.status).toBe(302)
  const location = new URL(approval.headers.get('location') ?? '')
  expect(location.origin + location.pathname).toBe(redirectUri)
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') ?? '' }
}

describe('Zendesk client against the emulator: reads', () => {
  it('reads a seeded ticket with its Cluster ID custom field when shown by id', async () => {
    const ticket = await client().getTicket(1)
    expect(ticket.subject).toContain('CL-1001')
    expect(ticket.customFields).toContainEqual({ id: running.emulator.clusterIdFieldId, value: 'CL-1001' })
    expect(ticket.createdAt).toBeInstanceOf(Date)
    expect(ticket.requesterId).toBe(running.emulator.requester().id)
  })

  it('fails with RecordNotFound in Zendesk words when the ticket does not exist', async () => {
    const error = await failure(client().getTicket(424242))
    expect(error).toMatchObject({ system: 'zendesk', code: 'not_found', status: 404, retryable: false, remoteMessage: 'Not found' })
    expect(error.details).toMatchObject({ error: 'RecordNotFound' })
  })

  it('asks show_many in chunks of 100 and leaves out missing or deleted tickets when given many ids', async () => {
    running.emulator.deleteTicket(2)
    running.emulator.resetCounters()
    const ids = Array.from({ length: 150 }, (_, index) => index + 1)
    const tickets = await client().getTickets(ids)
    expect(tickets.map((ticket) => ticket.id).sort((a, b) => a - b)).toEqual([1, 3, 4, 5, 6, 7])
    expect(running.emulator.counters()['GET /api/v2/tickets/show_many']).toBe(2)
  })

  it('follows cursor pages of 100 until has_more is false when a ticket has many comments', async () => {
    const ticket = newTicket()
    const agent = running.emulator.agents()[0]!
    for (let index = 1; index <= 230; index++) running.emulator.addComment(ticket.id, { body: `note ${index}`, public: index % 2 === 0, authorId: agent.id })
    running.emulator.resetCounters()
    const comments = await client().listComments(ticket.id)
    expect(comments).toHaveLength(231)
    expect(comments[0]?.body).toBe('Opening words')
    expect(comments.at(-1)?.body).toBe('note 230')
    expect(new Set(comments.map((comment) => comment.id)).size).toBe(231)
    expect(running.emulator.counters()['GET /api/v2/tickets/:id/comments']).toBe(3)
  })

  it('returns HTML and plain bodies and the public flag when comments were written in HTML', async () => {
    const comments = await client().listComments(1)
    const internal = comments.find((comment) => !comment.public)
    expect(internal?.htmlBody).toContain('<em>Internal:</em>')
    expect(internal?.body).toContain('PSU 2 reports a fault')
    expect(comments[0]?.body).toContain('* ping fails')
  })

  it('lists attachment names when a comment carries only files', async () => {
    const ticket = newTicket()
    running.emulator.addComment(ticket.id, {
      body: '',
      public: true,
      authorId: running.emulator.requester().id,
      attachments: [{ fileName: 'ilo-log.txt', contentType: 'text/plain', size: 2048 }],
    })
    const comments = await client().listComments(ticket.id)
    expect(comments.at(-1)?.attachments).toEqual([{ id: expect.any(Number), fileName: 'ilo-log.txt', contentType: 'text/plain', size: 2048 }])
    expect(comments[0]?.attachments).toEqual([])
  })

  it('reads users by id, the current user and the ticket fields when asked', async () => {
    const zendesk = client()
    const me = await zendesk.getCurrentUser()
    expect(me).toMatchObject({ id: running.emulator.integrationUserId, email: 'admin@demo.test', role: 'admin' })
    const users = await zendesk.getUsers([running.emulator.requester().id, ...running.emulator.agents().map((agent) => agent.id), 999])
    expect(users.map((user) => user.name).sort()).toEqual(['Alex Agent', 'Riley Requester', 'Sam Support'])
    const fields = await zendesk.listTicketFields()
    expect(fields.find((field) => field.title === 'Cluster ID')).toMatchObject({ id: running.emulator.clusterIdFieldId, type: 'text' })
  })

  it('finds the existing Cluster ID field without creating one, and creates a missing field once', async () => {
    const zendesk = client()
    running.emulator.resetCounters()
    expect((await zendesk.findOrCreateTicketField('Cluster ID')).id).toBe(running.emulator.clusterIdFieldId)
    expect(running.emulator.counters()['POST /api/v2/ticket_fields']).toBeUndefined()
    const created = await zendesk.findOrCreateTicketField('Autotask ticket number')
    expect(created).toMatchObject({ type: 'text', title: 'Autotask ticket number' })
    expect((await zendesk.findOrCreateTicketField('Autotask ticket number')).id).toBe(created.id)
    expect(running.emulator.counters()['POST /api/v2/ticket_fields']).toBe(1)
  })

  it('returns every comment event with body, public flag and updater when exporting ticket events', async () => {
    const ticket = newTicket('Events ticket')
    const agent = running.emulator.agents()[1]!
    running.emulator.addComment(ticket.id, { htmlBody: '<p>Private <b>finding</b></p>', public: false, authorId: agent.id })
    const page = await client().exportTicketEvents({ startTime: new Date(Date.now() - 3600_000), includeCommentEvents: true })
    const events = page.events.filter((event) => event.ticketId === ticket.id)
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({ updaterId: agent.id })
    expect(events[1]?.comments[0]).toMatchObject({ body: 'Private finding', public: false, authorId: agent.id })
    expect(page.endOfStream).toBe(true)
    const withoutComments = await client().exportTicketEvents({ startTime: new Date(Date.now() - 3600_000), includeCommentEvents: false })
    expect(withoutComments.events.flatMap((event) => event.comments)).toEqual([])
  })
})

describe('Zendesk client against the emulator: writes', () => {
  it('adds a private comment as the given author and returns its id from the audit', async () => {
    const ticket = newTicket()
    const agent = running.emulator.agents()[0]!
    const added = await client().addComment(ticket.id, { htmlBody: '<p>From <b>Autotask</b></p>', public: false, authorId: agent.id })
    const stored = running.emulator.ticket(ticket.id)?.comments.at(-1)
    expect(stored).toMatchObject({ id: added.commentId, authorId: agent.id, public: false, body: 'From Autotask' })
    expect(added.ticket.id).toBe(ticket.id)
    expect(added.auditId).toBe(stored?.auditId)
  })

  it('sets a custom field and reads the new value back when the ticket is open', async () => {
    const ticket = newTicket('No cluster', null)
    const updated = await client().setCustomFields(ticket.id, { [running.emulator.clusterIdFieldId]: 'CL-2000' })
    expect(updated.customFields).toContainEqual({ id: running.emulator.clusterIdFieldId, value: 'CL-2000' })
  })

  it("refuses a comment on a closed ticket with Zendesk's 422 body", async () => {
    const error = await failure(client().addComment(7, { body: 'too late', public: false }))
    expect(error).toMatchObject({ code: 'ticket_closed', status: 422, retryable: false, remoteMessage: 'Record validation errors' })
    expect(error.details).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { status: [{ description: 'Status: closed prevents ticket update' }] },
    })
  })

  it('reports RecordInvalid with the field details when the author does not exist', async () => {
    const ticket = newTicket()
    const error = await failure(client().addComment(ticket.id, { body: 'who?', public: true, authorId: 123 }))
    expect(error).toMatchObject({ code: 'invalid', status: 422 })
    expect(error.details).toMatchObject({ error: 'RecordInvalid', details: { author_id: [{ error: 'InvalidValue' }] } })
  })

  it('refuses the 5001st comment when the ticket already holds 5000', async () => {
    const ticket = newTicket()
    const agent = running.emulator.agents()[0]!
    for (let index = 1; index < 5000; index++) running.emulator.addComment(ticket.id, { body: `c${index}`, public: false, authorId: agent.id })
    expect(running.emulator.ticket(ticket.id)?.comments).toHaveLength(5000)
    running.emulator.resetRateLimits()
    const error = await failure(client().addComment(ticket.id, { body: 'one more', public: false }))
    expect(error).toMatchObject({ code: 'comment_limit', status: 422, retryable: false })
  })

  it('creates a webhook and reads its signing secret, and refuses a non-loopback endpoint', async () => {
    const zendesk = client()
    const webhook = await zendesk.createWebhook({ name: 'PSA Link', endpoint: 'http://127.0.0.1:9/zendesk/webhook' })
    expect(webhook.id).toMatch(/^01[0-9A-Z]{24}$/)
    expect(webhook.subscriptions).toContain('zen:event-type:ticket.comment_added')
    expect(await zendesk.getWebhookSigningSecret(webhook.id)).toBe(running.emulator.state().webhooks.find(webhook.id).signingSecret)
    const refused = await failure(zendesk.createWebhook({ name: 'Outside', endpoint: 'https://example.com/hook' }))
    expect(refused).toMatchObject({ code: 'bad_request', status: 400 })
    expect(refused.remoteMessage).toContain('loopback')
  })
})

describe('Zendesk client against the emulator: authentication', () => {
  it('accepts the sandbox Basic credentials and refuses a wrong token with Zendesk 401 text', async () => {
    expect((await client({ auth: { type: 'basic', email: 'admin@demo.test', apiToken: 'sandbox-token' } }).getCurrentUser()).email).toBe('admin@demo.test')
    const error = await failure(client({ auth: { type: 'basic', email: 'admin@demo.test', apiToken: 'wrong' } }).getTicket(1))
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, retryable: false, remoteMessage: "Couldn't authenticate you" })
  })

  it('fails without retrying when a bearer token is unknown and no OAuth client can refresh it', async () => {
    running.emulator.resetCounters()
    const error = await failure(client({ auth: { type: 'oauth', accessToken: 'nope' } }).getTicket(1))
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 })
    expect(error.remoteMessage).toContain('access token provided is expired, revoked, malformed')
    expect(running.emulator.counters()['GET /api/v2/tickets/:id']).toBe(1)
  })

  it('refreshes once and repeats the request when Zendesk answers 401 to an expired token', async () => {
    const redirectUri = 'http://127.0.0.1:5173/admin/zendesk/callback'
    const { code, state } = await authorizeInBrowser(redirectUri)
    expect(state).toBe('xyz-state')
    const tokens = await exchangeAuthorizationCode({ baseUrl: running.baseUrl, ...sandboxClient, code, redirectUri })
    expect(tokens.refreshToken).toBeTruthy()
    const saved: ZendeskTokens[] = []
    const zendesk = client({
      auth: {
        type: 'oauth',
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        ...sandboxClient,
        onTokensRefreshed: (next) => void saved.push(next),
      },
    })
    expect((await zendesk.getCurrentUser()).id).toBe(running.emulator.integrationUserId)

    running.emulator.expireAccessTokens()
    running.emulator.resetCounters()
    expect((await zendesk.getTicket(1)).id).toBe(1)
    expect(running.emulator.counters()).toMatchObject({ 'GET /api/v2/tickets/:id': 2, 'POST /oauth/tokens': 1 })
    expect(saved).toHaveLength(1)
    expect(saved[0]?.refreshToken).not.toBe(tokens.refreshToken)

    const reused = await failure(refreshAccessToken({ baseUrl: running.baseUrl, ...sandboxClient, refreshToken: tokens.refreshToken ?? '' }))
    expect(reused).toMatchObject({ code: 'oauth_invalid_grant', status: 400, retryable: false })
    const replayedCode = await failure(exchangeAuthorizationCode({ baseUrl: running.baseUrl, ...sandboxClient, code, redirectUri }))
    expect(replayedCode.code).toBe('oauth_invalid_grant')
  })

  it('refreshes before sending when the token is about to expire', async () => {
    const { code } = await authorizeInBrowser('http://127.0.0.1:5173/cb')
    const tokens = await exchangeAuthorizationCode({ baseUrl: running.baseUrl, ...sandboxClient, code, redirectUri: 'http://127.0.0.1:5173/cb' })
    running.emulator.resetCounters()
    const zendesk = client({
      auth: { type: 'oauth', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(Date.now() + 30_000), ...sandboxClient },
    })
    await zendesk.getTicket(1)
    expect(running.emulator.counters()).toEqual({ 'POST /oauth/tokens': 1, 'GET /api/v2/tickets/:id': 1 })
  })

  it('obtains a client-credentials token on first use when only the OAuth client is configured', async () => {
    const zendesk = client({ auth: { type: 'oauth', ...sandboxClient } })
    expect((await zendesk.getCurrentUser()).id).toBe(running.emulator.integrationUserId)
    const wrong = await failure(client({ auth: { type: 'oauth', clientId: 'psa-link-sandbox', clientSecret: 'bad' } }).getCurrentUser())
    expect(wrong).toMatchObject({ code: 'oauth_invalid_client', status: 401 })
  })
})

describe('Zendesk client against the emulator: limits and failures', () => {
  it('waits the Retry-After Zendesk asks for and then succeeds when the account budget runs out', async () => {
    running.emulator.setLimits({ accountRequestsPerMinute: 3 })
    const { sleep, waits } = fastForwardSleep(running.emulator)
    const zendesk = client({ sleep })
    for (let index = 0; index < 5; index++) await zendesk.getTicket(1)
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeGreaterThanOrEqual(1000)
    expect(waits[0]).toBeLessThanOrEqual(60_000)
    expect(zendesk.rateLimit()).toMatchObject({ limit: 3 })
    expect(zendesk.rateLimit()?.observedAt).toBeInstanceOf(Date)
  })

  it('exposes the remaining budget from the rate-limit headers when requests succeed', async () => {
    const zendesk = client()
    await zendesk.getTicket(1)
    await zendesk.getTicket(1)
    expect(zendesk.rateLimit()).toMatchObject({ limit: 700, remaining: 698 })
  })

  it('fails retryable with the wait when the per-ticket update limit asks for longer than the client waits', async () => {
    running.emulator.setLimits({ updatesPerTicketPerUser: 2 })
    const ticket = newTicket()
    const zendesk = client()
    await zendesk.addComment(ticket.id, { body: 'one', public: false })
    await zendesk.addComment(ticket.id, { body: 'two', public: false })
    const error = await failure(zendesk.addComment(ticket.id, { body: 'three', public: false }))
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryable: true,
      remoteMessage: 'Rate limit for ticket updates exceeded, please wait before updating this ticket again',
    })
    expect(error.retryAfterSeconds).toBeGreaterThan(500)
    expect(running.emulator.ticket(ticket.id)?.comments).toHaveLength(3)
  })

  it('answers 429 on the eleventh incremental export request within a minute', async () => {
    const zendesk = client({ maxRetries: 0 })
    for (let index = 0; index < 10; index++) await zendesk.exportTickets({ startTime: new Date(0) }, { perPage: 1 })
    const error = await failure(zendesk.exportTickets({ startTime: new Date(0) }))
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true })
    expect(error.retryAfterSeconds).toBeGreaterThan(0)
  })

  it('backs off exponentially and succeeds when Zendesk answers 503 twice', async () => {
    running.emulator.setFaults({ failNext: { count: 2, status: 503 } })
    const { sleep, waits } = fastForwardSleep(running.emulator)
    expect((await client({ sleep, random: () => 0.5 }).getTicket(1)).id).toBe(1)
    expect(waits).toEqual([500, 1000])
  })

  it('gives up retryable with the server error when 5xx outlasts maxRetries', async () => {
    running.emulator.setFaults({ outage: true })
    const error = await failure(client({ maxRetries: 2 }).getTicket(1))
    expect(error).toMatchObject({ code: 'server_error', status: 503, retryable: true })
    expect(running.emulator.counters()['GET /api/v2/tickets/:id']).toBe(3)
  })

  it('turns a 429 storm into a retryable failure after the retries', async () => {
    running.emulator.setFaults({ rateLimitStormRetryAfterSeconds: 2 })
    const { sleep, waits } = fastForwardSleep(running.emulator)
    const error = await failure(client({ sleep, maxRetries: 2 }).getTicket(1))
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 2 })
    expect(waits).toEqual([2000, 2000])
  })

  it('times out and reports a retryable timeout when Zendesk is too slow', async () => {
    running.emulator.setFaults({ latencyMs: 300 })
    const error = await failure(client({ timeoutMs: 50, maxRetries: 1 }).getTicket(1))
    expect(error).toMatchObject({ code: 'timeout', retryable: true })
  })

  it('reports a retryable network error when nothing listens at the base URL', async () => {
    const error = await failure(
      createZendeskClient({ baseUrl: 'http://127.0.0.1:9/sandbox/zendesk', auth: SANDBOX_BEARER, maxRetries: 1, sleep: async () => {} }).getTicket(1),
    )
    expect(error).toMatchObject({ code: 'network', retryable: true })
  })

  it('changes faults and reads counters over the HTTP control surface', async () => {
    await fetch(`${running.baseUrl}/_control/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outage: true }),
    })
    const error = await failure(client({ maxRetries: 0 }).getTicket(1))
    expect(error.status).toBe(503)
    await fetch(`${running.baseUrl}/_control/faults`, { method: 'DELETE' })
    await client().getTicket(1)
    const counters = (await (await fetch(`${running.baseUrl}/_control/counters`)).json()) as { counters: Record<string, number> }
    expect(counters.counters['GET /api/v2/tickets/:id']).toBe(2)
  })
})

describe("Zendesk client against the emulator: Zendesk's OpenAPI documents", () => {
  it('sent and received only documented shapes when the contract tests above ran', () => {
    expect(running.exchanges.length).toBeGreaterThan(50)
    expect(loadZendeskOpenApi().problemsIn(running.exchanges)).toEqual([])
  })
})
