import { createHmac, generateKeyPairSync, sign } from 'node:crypto'
import { callApi, sidebarToken, startApiStack } from './api-stack'
import type { TestStack } from '../../helpers/test-stack'

// The sidebar's token (plugins/sidebar-auth) is HS256 from Zendesk's proxy; its claims are written by browser code.
let stack: TestStack
let otherAccountId: number
const OTHER_SECRET = 'other-account-shared-secret'
const OTHER_TICKET = 9001

beforeAll(async () => {
  stack = await startApiStack()
  const { tenants } = stack.app
  otherAccountId = await tenants.createAccount({ subdomain: 'other', baseUrl: 'http://127.0.0.1:9/other', appSharedSecret: OTHER_SECRET, clusterIdFieldId: 1 })
  const connectionId = await tenants.createConnection({
    zendeskAccountId: otherAccountId,
    name: 'Other Autotask',
    zoneUrl: 'http://127.0.0.1:9/ATServices/1.6/atws.asmx',
    apiUsername: 'api@other.test',
    secret: 's',
    integrationCode: 'c',
  })
  // A linked ticket of the other account that the demo account has no ticket for.
  await stack.database.pool.query(
    `INSERT INTO ticket_links (zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, autotask_ticket_number, external_id, state, autotask_snapshot, last_synced_at)
     VALUES ($1, $2, $3, 777, 'T20990101.0001', 'zd:other:9001', 'linked', $4, now())`,
    [
      otherAccountId,
      connectionId,
      OTHER_TICKET,
      JSON.stringify({
        ticketNumber: 'T20990101.0001',
        url: 'https://other.test/t/777',
        title: 'Secret of other',
        status: { id: 1, label: 'New' },
        priority: { id: 2, label: 'Medium' },
        accountName: 'Other Co',
        queue: null,
        dueDateTime: null,
      }),
    ],
  )
  await stack.database.pool.query(`INSERT INTO ticket_sync_state (zendesk_account_id, zendesk_ticket_id, state) VALUES ($1, $2, 'linked')`, [
    otherAccountId,
    OTHER_TICKET,
  ])
})
afterAll(async () => {
  await stack?.close()
})

const now = () => Math.floor(Date.now() / 1000)
const getTicket = (ticketId: number, token: string | null) => callApi(stack, 'GET', `/api/v1/tickets/${ticketId}`, token)

function expectRefused(answer: { status: number; body: Record<string, unknown> }, status: number, code: string, words: RegExp) {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code })
  expect(String(answer.body.message)).toMatch(words)
}

describe('sidebar authentication', () => {
  it('answers the ticket state when the token is valid', async () => {
    const answer = await getTicket(1, sidebarToken(1))
    expect(answer.status).toBe(200)
    expect(answer.body.zendeskTicketId).toBe(1)
  })

  it('answers 401 when there is no token', async () => {
    expectRefused(await getTicket(1, null), 401, 'missing_token', /Authorization: Bearer/)
  })

  it('answers 401 when the token is signed with another secret', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { secret: 'not-the-secret' })), 401, 'bad_signature', /signature does not match.*"demo"/)
  })

  it('answers 401 when the token says alg none', async () => {
    const token = sidebarToken(1, { header: { alg: 'none', typ: 'JWT' }, signature: '' })
    expectRefused(await getTicket(1, token), 401, 'algorithm_refused', /Only HS256.*"none"/)
  })

  it('answers 401 when the token is RS256, even signed by a real RSA key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const unsigned = sidebarToken(1, { header: { alg: 'RS256', typ: 'JWT' }, signature: 'x' })
      .split('.')
      .slice(0, 2)
      .join('.')
    const token = `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`
    expectRefused(await getTicket(1, token), 401, 'algorithm_refused', /Only HS256.*"RS256"/)
  })

  it('answers 401 when the token is HS512 with the right secret', async () => {
    const unsigned = sidebarToken(1, { header: { alg: 'HS512', typ: 'JWT' }, signature: 'x' })
      .split('.')
      .slice(0, 2)
      .join('.')
    const token = `${unsigned}.${createHmac('sha512', 'sandbox-app-shared-secret').update(unsigned).digest('base64url')}`
    expectRefused(await getTicket(1, token), 401, 'algorithm_refused', /Only HS256.*"HS512"/)
  })

  it('answers 401 when the token expired', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { claims: { iat: now() - 600, exp: now() - 120 } })), 401, 'token_expired', /expired at/)
  })

  it('answers 401 when exp is more than 300 s ahead', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { claims: { exp: now() + 3600 } })), 401, 'expiry_too_far', /300 seconds/)
  })

  it('answers 401 when the token has no exp', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { claims: { exp: undefined } })), 401, 'missing_expiry', /exp/)
  })

  it('answers 401 when aud is not psa-link', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { claims: { aud: 'someone-else' } })), 401, 'wrong_audience', /"psa-link"/)
  })

  it('answers 401 when iss names no connected account, exactly as for a bad signature', async () => {
    expectRefused(await getTicket(1, sidebarToken(1, { claims: { iss: 'nobody' } })), 401, 'bad_signature', /"nobody"/)
  })

  it('answers 401 when the token claims another account but is signed with this one’s secret', async () => {
    expectRefused(await getTicket(OTHER_TICKET, sidebarToken(OTHER_TICKET, { claims: { iss: 'other' } })), 401, 'bad_signature', /"other"/)
  })

  it('answers 403 when ticket_id is not the ticket in the URL', async () => {
    expectRefused(await getTicket(2, sidebarToken(1)), 403, 'ticket_mismatch', /issued for ticket 1, not ticket 2/)
  })

  it('answers 403 when Sync now names another ticket than the token', async () => {
    expectRefused(await callApi(stack, 'POST', '/api/v1/tickets/2/sync', sidebarToken(1)), 403, 'ticket_mismatch', /ticket 1, not ticket 2/)
  })

  it('never shows another account’s ticket to this account’s token', async () => {
    const own = await getTicket(OTHER_TICKET, sidebarToken(OTHER_TICKET, { claims: { iss: 'other' }, secret: OTHER_SECRET }))
    expect(own.status).toBe(200)
    expect(own.body.autotask).toMatchObject({ ticketNumber: 'T20990101.0001' })
    const foreign = await getTicket(OTHER_TICKET, sidebarToken(OTHER_TICKET))
    expect(foreign.status).toBe(200)
    expect(foreign.body).toMatchObject({ zendeskTicketId: OTHER_TICKET, autotask: null })
    expect(JSON.stringify(foreign.body)).not.toMatch(/T20990101|Secret of other|Other Co/)
  })

  it('answers 404 when a job of another account is polled', async () => {
    const jobId = await stack.app.ticketSync.request(otherAccountId, OTHER_TICKET, 'test')
    const answer = await callApi(stack, 'GET', `/api/v1/jobs/${jobId}`, sidebarToken(OTHER_TICKET))
    expectRefused(answer, 404, 'job_not_found', new RegExp(`No sync job ${jobId}`))
    const owner = await callApi(stack, 'GET', `/api/v1/jobs/${jobId}`, sidebarToken(OTHER_TICKET, { claims: { iss: 'other' }, secret: OTHER_SECRET }))
    expect(owner.status).toBe(200)
  })

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${stack.origin}/docs/json`)
    const document = (await response.json()) as { paths: Record<string, unknown> }
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tickets/{zendeskTicketId}',
        '/api/v1/tickets/{zendeskTicketId}/sync',
        '/api/v1/jobs/{jobId}',
        '/webhooks/zendesk/{accountId}',
      ]),
    )
    expect(Object.keys(document.paths).some((path) => path.startsWith('/admin'))).toBe(false)
  })
})
