import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { SANDBOX_APP_SHARED_SECRET } from '../../../server/sandbox/src/sandbox-tenant'
import { createAdmin, adminClient } from '../admin/admin-client'
import { callApi, eventually, settled, sidebarToken, startApiStack } from '../api/api-stack'
import { agentOf, openTicket } from '../../helpers/scenario'
import { cycle, linkOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'

// A whole working day's traffic with logging at debug, captured as the production logger writes it:
// a ticket synced with its comments through the sandbox, the sidebar's calls, an admin sign-in,
// webhooks (good and forged) and an OAuth callback. No configured secret may appear in any line.
interface LogLine {
  level: number
  msg?: string
  reqId?: string
  req?: { url: string }
  jobId?: string
  accountId?: number
  account?: string
  ticketId?: number
  [key: string]: unknown
}

let stack: TestStack
let text = ''
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    text += chunk.toString('utf8')
    done()
  },
})
const lines = (): LogLine[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine)
const secrets: Record<string, string> = {}
let zendeskTicketId = 0

beforeAll(async () => {
  stack = await startApiStack({ env: { LOG_LEVEL: 'debug' }, logStream: capture })
  const account = (await stack.app.tenants.getAccount(stack.accountId))!
  const [connection] = await stack.app.tenants.listConnections(stack.accountId)
  Object.assign(secrets, {
    'the PSA_LINK_SECRET_KEY': 'a'.repeat(64),
    'the Zendesk OAuth access token': account.oauth.accessToken!,
    'the Autotask API secret': connection!.secret,
    'the Autotask integration code': connection!.integrationCode,
    "the app's shared secret": SANDBOX_APP_SHARED_SECRET,
    'the webhook signing secret': account.webhookSecret!,
  })
  if (account.oauth.refreshToken) secrets['the Zendesk OAuth refresh token'] = account.oauth.refreshToken
  if (account.oauth.clientSecret) secrets['the Zendesk OAuth client secret'] = account.oauth.clientSecret

  // A ticket with comments, synced by a cycle, then a comment carried by the webhook.
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Logged, not leaked' })
  zendeskTicketId = ticket.id
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'A second comment.', public: true, authorId: agentOf(stack).id })
  await cycle(stack)
  await eventually(async () => (await linkOf(stack, ticket.id))?.autotask_ticket_id)
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'Carried by the webhook.', public: true, authorId: agentOf(stack).id })
  await settled(stack)

  // The sidebar: its state and Sync now.
  const token = sidebarToken(ticket.id)
  secrets['the sidebar token'] = token
  expect((await callApi(stack, 'GET', `/api/v1/tickets/${ticket.id}`, token)).status).toBe(200)
  expect((await callApi(stack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, token)).status).toBeLessThan(300)

  // A forged webhook, refused (and logged as refused).
  const forged = await fetch(`${stack.origin}/webhooks/zendesk/${stack.accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': 'forged', 'x-zendesk-webhook-signature-timestamp': new Date().toISOString() },
    body: JSON.stringify({ subject: `zen:ticket:${ticket.id}` }),
  })
  expect(forged.status).toBe(401)

  // An administrator: a wrong password, a sign-in, a page of the console, an OAuth callback.
  const { email, password } = await createAdmin(stack)
  secrets['the admin password'] = password
  const admin = adminClient(stack.origin)
  expect((await admin.signIn(email, `${password}-wrong`)).status).toBe(401)
  expect((await admin.signIn(email, password)).status).toBe(200)
  secrets['the session cookie'] = admin.cookie().split('=')[1]!
  secrets['the CSRF token'] = admin.csrf()
  expect((await admin.get('/monitor')).status).toBeLessThan(500)
  const code = randomBytes(16).toString('hex')
  secrets['an OAuth authorization code'] = code
  await admin.call('GET', `/admin/zendesk/oauth/callback?code=${code}&state=${randomBytes(8).toString('hex')}`)
}, 120_000)

afterAll(async () => {
  await stack.close()
})

describe('the logs of a full scenario at debug level', () => {
  it('hold no configured secret, token, password or cookie when everything was logged', () => {
    expect(lines().length).toBeGreaterThan(50)
    expect(text).toContain(`"url":"/api/v1/tickets/${zendeskTicketId}"`)
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(7)
      expect(text.includes(secret), `${what} appears in the log`).toBe(false)
    }
  })

  it('names the request id on every line a request logs, and the account and ticket on every sidebar and webhook line', () => {
    const byRequest = new Map<string, LogLine[]>()
    for (const line of lines()) if (line.reqId) byRequest.set(line.reqId, [...(byRequest.get(line.reqId) ?? []), line])
    const requestLines = lines().filter((line) => line.req || line.res || line.responseTime !== undefined)
    expect(requestLines.every((line) => typeof line.reqId === 'string')).toBe(true)

    const sidebar = [...byRequest.values()].filter((group) => group[0]?.req?.url.startsWith('/api/v1/tickets/'))
    const webhook = [...byRequest.values()].filter((group) => group[0]?.req?.url.startsWith('/webhooks/zendesk/'))
    expect(sidebar.length).toBeGreaterThanOrEqual(2)
    expect(webhook.length).toBeGreaterThanOrEqual(2)
    for (const group of sidebar) {
      // The first line ("incoming request") comes before the token names the account.
      for (const line of group.slice(1)) expect(line).toMatchObject({ accountId: stack.accountId, ticketId: zendeskTicketId, account: expect.any(String) })
    }
    for (const group of webhook) for (const line of group.slice(1)) expect(line).toMatchObject({ accountId: stack.accountId })
    expect(webhook.flat().some((line) => line.ticketId === zendeskTicketId && line.msg === 'request completed')).toBe(true)
  })

  it('names the account, the job and the ticket on every line of a ticket sync job', () => {
    const jobLines = lines().filter((line) => line.jobId && !line.reqId)
    expect(jobLines.some((line) => line.msg === 'sync job finished' && line.ticketId === zendeskTicketId)).toBe(true)
    for (const line of jobLines) expect(line).toMatchObject({ accountId: stack.accountId, account: expect.any(String) })
  })
})
