import { firstAdminSetupCode } from '../../../server/src/admin/first-admin-setup'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient } from './admin-client'

let stack: TestStack
let code: string

beforeAll(async () => {
  stack = await startTestStack()
  code = firstAdminSetupCode(stack.app.secrets)
})
afterAll(async () => stack?.close())

const good = () => ({
  setupCode: code,
  zendesk: 'https://Acme-Support.zendesk.com/agent/tickets/1',
  email: 'ops@acme.test',
  password: 'a long first password',
  repeatPassword: 'a long first password',
})

describe('first administrator of a new installation', () => {
  it('names each bad field, refuses a wrong code, then creates the account and its admin once and signs them in', async () => {
    const client = adminClient(stack.origin)
    expect((await client.get('/setup')).body).toEqual({ needed: true, sandbox: true })

    const empty = await client.post('/setup', {})
    expect(empty.status).toBe(400)
    expect(Object.keys(empty.body.fieldErrors ?? {}).sort()).toEqual(['email', 'password', 'repeatPassword', 'setupCode', 'zendesk'])

    const wrong = await client.post('/setup', {
      ...good(),
      setupCode: 'AAAA-BBBB-CCCC',
      zendesk: 'not a subdomain!',
      password: 'short',
      repeatPassword: 'short',
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.fieldErrors).toMatchObject({
      setupCode: expect.stringMatching(/not the setup code/),
      zendesk: expect.stringMatching(/subdomain/),
      password: expect.stringMatching(/at least 12/),
    })
    const sandboxName = await client.post('/setup', { ...good(), zendesk: 'demo' })
    expect(sandboxName.body.fieldErrors?.zendesk).toMatch(/sandbox/)
    const differ = await client.post('/setup', { ...good(), repeatPassword: 'another long password' })
    expect(differ.body.fieldErrors?.repeatPassword).toMatch(/differ/)
    const { rows: none } = await stack.database.pool.query("SELECT 1 FROM zendesk_accounts WHERE subdomain <> 'demo'")
    expect(none).toEqual([])

    // The code as a person types it: lower case, spaces instead of dashes.
    const created = await client.post('/setup', { ...good(), setupCode: ` ${code.toLowerCase().replaceAll('-', ' ')} ` })
    expect(created.status).toBe(201)
    expect(created.body.subdomain).toBe('acme-support')
    const session = await client.get('/session')
    expect(session.body).toMatchObject({ email: 'ops@acme.test', subdomain: 'acme-support', connectionId: null, mustChangePassword: false })
    const { rows: accounts } = await stack.database.pool.query("SELECT subdomain, base_url FROM zendesk_accounts WHERE subdomain <> 'demo'")
    expect(accounts).toEqual([{ subdomain: 'acme-support', base_url: 'https://acme-support.zendesk.com' }])
    const { rows: audit } = await stack.database.pool.query("SELECT action FROM audit_log WHERE action = 'first_admin_created'")
    expect(audit).toHaveLength(1)

    // Set up: the code opens nothing more, and the new account (no credentials yet) is not synced.
    const again = await adminClient(stack.origin).post('/setup', { ...good(), zendesk: 'other', email: 'else@acme.test' })
    expect(again.status).toBe(409)
    expect((await adminClient(stack.origin).get('/setup')).body.needed).toBe(false)
    expect(await stack.app.tenants.listAccountIds()).toEqual([stack.accountId])
  })
})

describe('first administrator, asked for from several browsers at once', () => {
  let fresh: TestStack
  beforeAll(async () => {
    fresh = await startTestStack()
  })
  afterAll(async () => fresh?.close())

  it('creates exactly one account and admin when five setups race', async () => {
    const setupCode = firstAdminSetupCode(fresh.app.secrets)
    const statuses = await Promise.all(
      [1, 2, 3, 4, 5].map(
        async (index) =>
          (
            await adminClient(fresh.origin).post('/setup', {
              setupCode,
              zendesk: `team${index}`,
              email: `ops${index}@acme.test`,
              password: 'a long first password',
              repeatPassword: 'a long first password',
            })
          ).status,
      ),
    )
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409])
    const { rows } = await fresh.database.pool.query(
      "SELECT count(*)::int AS accounts, (SELECT count(*)::int FROM admin_users WHERE email LIKE 'ops%@acme.test') AS admins FROM zendesk_accounts WHERE subdomain <> 'demo'",
    )
    expect(rows[0]).toEqual({ accounts: 1, admins: 1 })
  })
})
