import Fastify from 'fastify'
import { createServer, type Server } from 'node:http'
import app from '../../../server/src/app'
import { loadConfig } from '../../../server/src/config'
import type { Database } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { SANDBOX_ADMIN } from '../../../server/sandbox/src/sandbox-admin'
import { cycle, linkOf } from '../../helpers/sync-driver'
import { createTestDatabase } from '../../helpers/test-database'
import { openTicket, startScenario } from '../../helpers/scenario'
import { sidebarToken } from '../api/api-stack'

// The sandbox's demo account (a known admin password, a known app shared secret) must not outlive
// the sandbox, and a real customer whose subdomain happens to be `demo` is not mistaken for it.

async function startWithoutSandbox(database: Database, env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SANDBOX: 'off',
    DATA_DIR: '/tmp/psa-link-sandbox-account',
    PSA_LINK_SECRET_KEY: 'a'.repeat(64),
    ...env,
  })
  const server = Fastify({ logger: false })
  await server.register(app, { config, database, schedule: false })
  await server.ready()
  return server
}

const count = async (database: Database, sql: string) => Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n)

describe('the demo account', () => {
  let database: Database
  beforeEach(async () => {
    database = await createTestDatabase()
  })
  afterEach(async () => {
    await database.close()
  })

  it('is removed with its admins, links and secrets when a backend starts without the sandbox', async () => {
    const stack = await startScenario({ database })
    const ticket = openTicket(stack, { subject: 'Printer on fire', clusterId: 'CL-1001' })
    await cycle(stack)
    expect(await linkOf(stack, ticket.id)).toBeDefined()
    await stack.close()
    expect(await count(database, 'zendesk_accounts WHERE sandbox')).toBe(1)
    expect(await count(database, 'ticket_links')).toBeGreaterThan(0)

    const server = await startWithoutSandbox(database)
    try {
      expect(await count(database, 'zendesk_accounts')).toBe(0)
      expect(await count(database, 'admin_users')).toBe(0)
      expect(await count(database, 'autotask_connections')).toBe(0)
      expect(await count(database, 'ticket_links')).toBe(0)

      // The demo admin's printed password no longer signs in …
      const signIn = await server.inject({
        method: 'POST',
        url: '/admin/api/session',
        payload: { email: SANDBOX_ADMIN.email, password: SANDBOX_ADMIN.firstPassword },
      })
      expect(signIn.statusCode).not.toBe(200)
      // … and the demo app's known shared secret opens nothing.
      const state = await server.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: { authorization: `Bearer ${sidebarToken(ticket.id)}` } })
      expect(state.statusCode).toBe(401)
    } finally {
      await server.close()
    }
  })

  it('keeps a real account called demo and does not mount the sandbox over it when SANDBOX=auto', async () => {
    await migrate(database.pool)
    await database.pool.query(`INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ('demo', 'https://demo.zendesk.com')`)
    const server = await startWithoutSandbox(database, { SANDBOX: 'auto' })
    try {
      expect(server.sandbox).toBeUndefined()
      expect((await server.inject({ method: 'GET', url: '/sandbox/agent?ticket=1' })).statusCode).toBe(404)
      expect((await database.pool.query('SELECT subdomain, sandbox FROM zendesk_accounts')).rows).toEqual([{ subdomain: 'demo', sandbox: false }])
    } finally {
      await server.close()
    }
  })
})

describe('the preview proxy', () => {
  let internal: Server
  let internalUrl: string
  const seen: string[] = []
  beforeAll(async () => {
    // Stands for an internal service on the backend's host (another port of the same address).
    internal = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`)
      response.end('internal secret page')
    })
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve))
    const address = internal.address()
    internalUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  afterAll(async () => {
    await new Promise((resolve) => internal.close(resolve))
  })

  it('forwards nothing to another origin, nor the shared secret to another port of the host, when asked by anyone', async () => {
    const stack = await startScenario()
    try {
      const proxy = (request: Record<string, unknown>) =>
        fetch(`${stack.origin}/sandbox/agent/proxy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request }) })
      const open = await proxy({ url: `${internalUrl}/admin`, type: 'GET' })
      expect(open.status).toBe(200)
      expect(await open.json()).toMatchObject({ status: 403 })
      const secure = await proxy({
        url: `${internalUrl}/steal`,
        type: 'GET',
        secure: true,
        headers: { Authorization: 'Bearer {{jwt.token}}' },
        jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 60, claims: {} },
      })
      expect(await secure.json()).toMatchObject({ status: 403 })
      expect(seen).toEqual([])

      // The backend itself is still reached (positive control).
      const own = await proxy({ url: `${stack.origin}/health`, type: 'GET' })
      expect(await own.json()).toMatchObject({ status: 200 })
    } finally {
      await stack.close()
    }
  })
})
