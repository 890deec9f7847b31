import { cycle } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

let stack: TestStack
let otherAccountId: number
let otherConnectionId: number
let sandboxConnectionId: number
let secondConnectionId: number

beforeAll(async () => {
  stack = await startTestStack()
  const { tenants } = stack.app
  otherAccountId = await tenants.createAccount({ subdomain: 'other', baseUrl: 'http://127.0.0.1:9/other', oauthAccessToken: 'x' })
  otherConnectionId = await tenants.createConnection({
    zendeskAccountId: otherAccountId,
    name: 'Other Autotask',
    apiUsername: 'api@other.test',
    secret: 's',
    integrationCode: 'OTHERCODE0001',
  })
  sandboxConnectionId = (await tenants.listConnections(stack.accountId))[0]!.id
  secondConnectionId = await tenants.createConnection({
    zendeskAccountId: stack.accountId,
    name: 'Second Autotask',
    apiUsername: 'api@alt.test',
    secret: 'sandbox-secret',
    integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    zoneUrl: `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`,
  })
  const pool = stack.database.pool
  // Problems in both accounts and both connections, and one in the other account.
  for (const [account, connection, ticket] of [
    [stack.accountId, sandboxConnectionId, 101],
    [stack.accountId, secondConnectionId, 102],
    [otherAccountId, otherConnectionId, 103],
  ]) {
    await pool.query(
      `INSERT INTO sync_problems (zendesk_account_id, connection_id, zendesk_ticket_id, code, message) VALUES ($1, $2, $3, 'autotask_rejected', 'rejected')`,
      [account, connection, ticket],
    )
  }
  await pool.query(`INSERT INTO audit_log (zendesk_account_id, action, details) VALUES ($1, 'connection_paused', $2)`, [
    otherAccountId,
    JSON.stringify({ connectionId: otherConnectionId }),
  ])
  // Runs of both connections of the account, so a connection-limited monitor has one to leave out.
  for (const connection of [sandboxConnectionId, secondConnectionId]) {
    await pool.query(
      `INSERT INTO sync_runs (zendesk_account_id, connection_id, kind, trigger, status, finished_at) VALUES ($1, $2, 'ticket', 'webhook', 'succeeded', now())`,
      [stack.accountId, connection],
    )
  }
  await cycle(stack)
})
afterAll(async () => stack?.close())

const ids = (list: unknown) => (list as Array<{ id: number }>).map((item) => item.id)
const problemTickets = async (client: AdminClient) =>
  ((await client.get('/problems')).body.problems as Array<{ zendeskTicketId: number }>).map((problem) => problem.zendeskTicketId)

describe('admin scoping', () => {
  it('shows an admin of account A nothing of account B when B has data', async () => {
    const client = await signedIn(stack)
    expect(ids((await client.get('/connections')).body.connections)).toEqual([sandboxConnectionId, secondConnectionId])
    expect((await client.get(`/connections/${otherConnectionId}`)).status).toBe(404)
    expect((await client.post(`/connections/${otherConnectionId}/pause`)).status).toBe(404)
    expect((await client.put(`/connections/${otherConnectionId}/settings`, { settings: {} })).status).toBe(404)
    expect((await client.delete(`/connections/${otherConnectionId}`)).status).toBe(404)
    expect(await problemTickets(client)).not.toContain(103)
    const otherProblem = (await stack.database.pool.query('SELECT id FROM sync_problems WHERE zendesk_ticket_id = 103')).rows[0] as { id: number }
    expect((await client.post(`/problems/${otherProblem.id}/resolve`)).status).toBe(404)
    expect((await client.get('/timeline?zendeskTicketId=103')).status).toBe(404)
    const audit = (await client.get('/audit')).body.entries as Array<{ details: { connectionId?: number } }>
    expect(audit.some((entry) => entry.details.connectionId === otherConnectionId)).toBe(false)
    const monitor = (await client.get('/monitor')).body as { budget: { autotask: Array<{ connectionId: number }> } }
    expect(monitor.budget.autotask.map((entry) => entry.connectionId)).not.toContain(otherConnectionId)
    const { rows } = await stack.database.pool.query('SELECT paused FROM autotask_connections WHERE id = $1', [otherConnectionId])
    expect(rows[0]).toEqual({ paused: false })
  })

  it('shows a connection-limited admin only that connection and refuses account-wide actions when limited', async () => {
    const client = await signedIn(stack, { connectionId: secondConnectionId })
    expect(ids((await client.get('/connections')).body.connections)).toEqual([secondConnectionId])
    expect((await client.get(`/connections/${sandboxConnectionId}`)).status).toBe(404)
    expect((await client.post(`/connections/${sandboxConnectionId}/pause`)).status).toBe(404)
    expect(await problemTickets(client)).toEqual([102])
    const sandboxProblem = (await stack.database.pool.query('SELECT id FROM sync_problems WHERE zendesk_ticket_id = 101')).rows[0] as { id: number }
    expect((await client.post(`/problems/${sandboxProblem.id}/skip`)).status).toBe(404)
    expect((await client.get('/timeline?zendeskTicketId=1')).status).toBe(404)
    expect((await client.post('/tickets/1/resync')).status).toBe(404)
    for (const [method, path] of [
      ['get', '/zendesk'],
      ['get', '/users'],
      ['post', '/zendesk/app-secret'],
      ['post', '/zendesk/oauth/start'],
      ['get', '/backfill'],
      ['post', '/backfill/dry-run'],
      ['post', '/connections'],
      ['delete', `/connections/${secondConnectionId}`],
    ] as const) {
      const response = method === 'get' ? await client.get(path) : method === 'post' ? await client.post(path, {}) : await client.delete(path)
      expect({ path, status: response.status }).toEqual({ path, status: 403 })
    }
    const monitor = (await client.get('/monitor')).body as {
      budget: { autotask: Array<{ connectionId: number }>; zendesk: unknown }
      runs: Array<{ connectionId: number | null }>
    }
    expect(monitor.budget.autotask.map((entry) => entry.connectionId)).toEqual([secondConnectionId])
    expect(monitor.budget.zendesk).toBeNull()
    expect(monitor.runs.length).toBeGreaterThan(0)
    expect(monitor.runs.every((run) => run.connectionId === secondConnectionId)).toBe(true)

    expect((await client.post(`/connections/${secondConnectionId}/pause`)).status).toBe(200)
    const audit = (await client.get('/audit')).body.entries as Array<{ action: string; details: { connectionId?: number } }>
    expect(audit.map((entry) => entry.action)).toContain('connection_paused')
    expect(audit.every((entry) => entry.details.connectionId === secondConnectionId)).toBe(true)
  })
})
