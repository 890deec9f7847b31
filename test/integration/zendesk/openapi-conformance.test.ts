import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { exchangeAuthorizationCode, refreshAccessToken } from '../../../server/src/adapters/zendesk/zendesk-oauth'
import { loadZendeskOpenApi } from '../../helpers/zendesk-openapi'
import type { ZendeskOpenApi } from '../../helpers/zendesk-openapi'
import { fastForwardSleep, SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RecordedExchange, RunningZendeskEmulator } from './zendesk-emulator-server'

/**
 * Zendesk's own OpenAPI documents judge the emulator's answers and the client's requests, so a
 * misreading shared by both cannot hide behind green contract tests.
 */
let running: RunningZendeskEmulator
let openApi: ZendeskOpenApi

beforeAll(async () => {
  openApi = loadZendeskOpenApi()
  running = await startZendeskEmulator()
})
afterAll(async () => {
  await running.close()
})
beforeEach(() => {
  running.emulator.reset()
  running.emulator.setExportLagSeconds(0)
  running.exchanges.length = 0
})

const sandboxClient = { clientId: 'psa-link-sandbox', clientSecret: 'sandbox-oauth-secret' }

function client() {
  return createZendeskClient({ baseUrl: running.baseUrl, auth: SANDBOX_BEARER, sleep: fastForwardSleep(running.emulator).sleep })
}

function operationsSeen(exchanges: RecordedExchange[]): Set<string> {
  return new Set(
    exchanges
      .filter((exchange) => exchange.status < 300)
      .map((exchange) => `${exchange.method} ${openApi.operationOf(exchange.method, exchange.url) ?? exchange.url}`),
  )
}

async function authorize(redirectUri: string): Promise<string> {
  const page = await fetch(
    `${running.baseUrl}/oauth/authorizations/new?${new URLSearchParams({ client_id: sandboxClient.clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'read write' })}`,
  )
  const html = await page.text()
  const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]?.replace(/&amp;/g, '&')]))
  const approval = await fetch(`${running.baseUrl}/oauth/authorizations`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, decision: 'allow' }),
    redirect: 'manual',
  })
  return new URL(approval.headers.get('location') ?? '').searchParams.get('code') ?? ''
}

describe("the emulator and the client against Zendesk's OpenAPI documents", () => {
  it('answers and is asked only in documented shapes when the client runs every call PSA Link makes', async () => {
    const { emulator } = running
    const zendesk = client()
    const agent = emulator.agents()[0]!
    await zendesk.getTicket(1)
    await zendesk.getTickets([1, 2, 3])
    await zendesk.listComments(1)
    const page = await zendesk.exportTickets({ startTime: new Date(Date.now() - 3 * 24 * 3600_000) }, { perPage: 3 })
    await zendesk.exportTickets({ cursor: page.afterCursor }, { excludeDeleted: true })
    await zendesk.exportTicketEvents({ startTime: new Date(Date.now() - 3 * 24 * 3600_000), includeCommentEvents: true })
    await zendesk.listTicketFields()
    await zendesk.findOrCreateTicketField('Autotask ticket number')
    await zendesk.getUsers([agent.id, emulator.requester().id])
    await zendesk.getCurrentUser()
    await zendesk.addComment(1, { htmlBody: '<p>From Autotask</p>', public: false, authorId: agent.id })
    await zendesk.setCustomFields(2, { [emulator.clusterIdFieldId]: 'CL-2000' })
    // Zendesk-side visibility: fields and the whole tag list as a safe update, and fields riding on a comment.
    const shownField = await zendesk.findOrCreateTicketField('Autotask status')
    const before = await zendesk.getTicket(2)
    await zendesk.updateTicketFields(2, {
      customFields: [{ id: shownField.id, value: 'In Progress' }],
      tags: { list: [...before.tags, 'psa_link_linked'], updatedStamp: before.updatedAt },
    })
    await zendesk.addComment(2, { body: 'Autotask note #1', public: false, customFields: [{ id: shownField.id, value: 'Complete' }] })
    const webhook = await zendesk.createWebhook({ name: 'PSA Link', endpoint: 'http://127.0.0.1:9/zendesk/webhook' })
    await zendesk.getWebhookSigningSecret(webhook.id)
    const redirectUri = 'http://127.0.0.1:5173/cb'
    const tokens = await exchangeAuthorizationCode({ baseUrl: running.baseUrl, ...sandboxClient, code: await authorize(redirectUri), redirectUri })
    await refreshAccessToken({ baseUrl: running.baseUrl, ...sandboxClient, refreshToken: tokens.refreshToken ?? '' })
    await createZendeskClient({ baseUrl: running.baseUrl, auth: { type: 'oauth', ...sandboxClient } }).getCurrentUser()

    const seen = operationsSeen(running.exchanges)
    for (const operation of [
      'GET /api/v2/tickets/{ticket_id}',
      'GET /api/v2/tickets/show_many',
      'PUT /api/v2/tickets/{ticket_id}',
      'GET /api/v2/tickets/{ticket_id}/comments',
      'GET /api/v2/incremental/tickets/cursor',
      'GET /api/v2/incremental/ticket_events',
      'GET /api/v2/ticket_fields',
      'POST /api/v2/ticket_fields',
      'GET /api/v2/users/show_many',
      'GET /api/v2/users/me',
      'POST /webhooks',
      'GET /webhooks/{webhook_id}/signing_secret',
      'POST /oauth/tokens',
    ]) {
      expect(seen, `the client never called ${operation}`).toContain(operation)
    }
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })
})

async function raw(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_BEARER.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

describe("the emulator's other endpoints against Zendesk's OpenAPI documents", () => {
  it('answers in documented shapes on every other endpoint it serves when a general-purpose client calls them', async () => {
    const { emulator } = running
    const agent = emulator.agents()[0]!
    const statuses: number[] = []
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await raw(method, path, body)
      statuses.push(response.status)
      return response
    }
    await call('GET', '/api/v2/tickets.json')
    await call('GET', '/api/v2/tickets.json?page[size]=2')
    const created = (await (
      await call('POST', '/api/v2/tickets.json', {
        ticket: { subject: 'Printer', comment: { body: 'On fire' }, priority: 'high', requester_id: emulator.requester().id },
      })
    ).json()) as { ticket: { id: number } }
    await call('PUT', `/api/v2/tickets/${created.ticket.id}.json`, {
      ticket: { status: 'pending', tags: ['printer'], comment: { body: 'Looking', public: false, author_id: agent.id } },
    })
    await call('GET', `/api/v2/tickets/${created.ticket.id}/comments.json?per_page=1`)
    await call('DELETE', `/api/v2/tickets/${created.ticket.id}.json`)
    await call('GET', `/api/v2/users/${agent.id}.json`)
    await call('GET', `/api/v2/ticket_fields/${emulator.clusterIdFieldId}.json`)
    const webhook = (await (
      await call('POST', '/api/v2/webhooks', {
        webhook: {
          name: 'Other',
          status: 'active',
          endpoint: 'http://127.0.0.1:9/hook',
          http_method: 'POST',
          request_format: 'json',
          subscriptions: ['conditional_ticket_events'],
        },
      })
    ).json()) as { webhook: { id: string } }
    await call('GET', '/api/v2/webhooks')
    await call('GET', `/api/v2/webhooks/${webhook.webhook.id}`)
    expect(statuses.every((status) => status < 300)).toBe(true)
    const seen = operationsSeen(running.exchanges)
    for (const operation of [
      'GET /api/v2/tickets',
      'POST /api/v2/tickets',
      'DELETE /api/v2/tickets/{ticket_id}',
      'GET /api/v2/users/{user_id}',
      'GET /api/v2/ticket_fields/{ticket_field_id}',
      'GET /webhooks',
      'GET /webhooks/{webhook_id}',
    ]) {
      expect(seen).toContain(operation)
    }
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })
})

describe('the OpenAPI judge itself', () => {
  it('names a write-only property, a wrong type and an undocumented path when an exchange carries them', () => {
    const problems = openApi.problemsIn([
      {
        method: 'GET',
        url: '/api/v2/tickets/7.json',
        status: 200,
        requestBody: undefined,
        responseBody: { ticket: { id: '7', requester_id: 1, via_followup_source_id: 3 } },
      },
      { method: 'GET', url: '/api/v2/made_up.json', status: 200, requestBody: undefined, responseBody: {} },
      { method: 'PUT', url: '/api/v2/tickets/7.json', status: 200, requestBody: { ticket: { custom_fields: [{ value: 'x' }] } }, responseBody: {} },
    ])
    expect(problems).toEqual([
      expect.stringContaining('/ticket/id: must be integer'),
      expect.stringContaining('/ticket/via_followup_source_id: write-only property must not appear in a response'),
      "GET /api/v2/made_up.json is not in Zendesk's OpenAPI documents",
      expect.stringContaining("/ticket/custom_fields/0: must have required property 'id'"),
    ])
  })

  it('fails with a message naming the missing folder when the reference documents are absent', () => {
    expect(() => loadZendeskOpenApi({ referenceDir: '/nonexistent/reference/zendesk' })).toThrow(
      /zendesk-support-api\.oas\.yaml is missing from \/nonexistent\/reference\/zendesk.*never copied into the repository/,
    )
  })
})

describe('follow-up tickets as Zendesk presents them', () => {
  it('shows the closed source in via.source and never via_followup_source_id when a follow-up is created over the API', async () => {
    const { emulator } = running
    const closed = emulator.tickets().find((ticket) => ticket.status === 'closed')!
    const created = await fetch(`${running.baseUrl}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_BEARER.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { via_followup_source_id: closed.id, comment: { body: 'My printer is still too hot!' } } }),
    })
    expect(created.status).toBe(201)
    const { ticket } = (await created.json()) as { ticket: Record<string, unknown> }
    expect(ticket).not.toHaveProperty('via_followup_source_id')
    expect(ticket.via).toMatchObject({ source: { rel: 'follow_up', from: { ticket_id: closed.id } } })
    const source = (await (
      await fetch(`${running.baseUrl}/api/v2/tickets/${closed.id}.json`, { headers: { authorization: `Bearer ${SANDBOX_BEARER.accessToken}` } })
    ).json()) as {
      ticket: { followup_ids: number[] }
    }
    expect(source.ticket.followup_ids).toEqual([ticket.id])
    expect((await client().getTicket(Number(ticket.id))).followUpSourceId).toBe(closed.id)
    expect(openApi.problemsIn(running.exchanges)).toEqual([])
  })

  it('creates an ordinary ticket, not a follow-up, when the named source is not closed', async () => {
    const created = await fetch(`${running.baseUrl}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_BEARER.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { via_followup_source_id: 1, comment: { body: 'Still broken' } } }),
    })
    expect(created.status).toBe(201)
    const { ticket } = (await created.json()) as { ticket: { id: number; via: { source: { rel: unknown } } } }
    expect(ticket.via.source.rel).toBeNull()
    expect((await client().getTicket(ticket.id)).followUpSourceId).toBeNull()
  })
})
