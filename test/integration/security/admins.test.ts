import { firstAdminSetupCode } from '../../../server/src/admin/first-admin-setup'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, signedIn } from '../admin/admin-client'

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => stack?.close())

describe('admins of several Zendesk accounts', () => {
  it("lets a new account's owner sign up when another account's admin has already taken their email", async () => {
    // The sandbox account's admin squats the owner's address before the owner installs PSA Link.
    const squatter = await signedIn(stack)
    const squatted = await squatter.post('/users', { email: 'Owner@Acme.test' })
    expect(squatted.status).toBe(201)
    const squatterPassword = String(squatted.body.temporaryPassword)

    const owner = adminClient(stack.origin)
    const setup = await owner.post('/setup', {
      setupCode: firstAdminSetupCode(stack.app.secrets),
      zendesk: 'acme',
      email: 'owner@acme.test',
      password: "the owner's own password",
      repeatPassword: "the owner's own password",
    })
    expect(setup.status).toBe(201)
    expect((await owner.get('/session')).body).toMatchObject({ email: 'owner@acme.test', subdomain: 'acme' })

    // The email now names two logins: without the account, sign-in is refused like any other refusal.
    const ambiguous = await adminClient(stack.origin).signIn('owner@acme.test', "the owner's own password")
    const unknown = await adminClient(stack.origin).signIn('nobody@acme.test', "the owner's own password")
    expect({ status: ambiguous.status, body: ambiguous.body }).toEqual({ status: unknown.status, body: unknown.body })

    const intoAcme = adminClient(stack.origin)
    expect(
      (await intoAcme.call('POST', '/admin/api/session', { email: 'owner@acme.test', password: "the owner's own password", zendesk: 'acme.zendesk.com' }))
        .status,
    ).toBe(200)
    expect((await intoAcme.get('/session')).body).toMatchObject({ subdomain: 'acme', mustChangePassword: false })
    // The squatted login opens only the squatter's own account, and not with the owner's password.
    const wrongAccount = await adminClient(stack.origin).call('POST', '/admin/api/session', {
      email: 'owner@acme.test',
      password: "the owner's own password",
      zendesk: 'demo',
    })
    expect(wrongAccount.status).toBe(401)
    const intoDemo = adminClient(stack.origin)
    expect((await intoDemo.call('POST', '/admin/api/session', { email: 'owner@acme.test', password: squatterPassword, zendesk: 'demo' })).status).toBe(200)
    expect((await intoDemo.get('/session')).body).toMatchObject({ subdomain: 'demo' })
  })
})

describe('the audit log', () => {
  it('keeps who did what when that admin is removed afterwards', async () => {
    const lead = await signedIn(stack)
    const created = await lead.post('/users', { email: 'leaver@example.test' })
    const leaver = adminClient(stack.origin)
    const temporary = String(created.body.temporaryPassword)
    const signIn = await leaver.signIn('leaver@example.test', temporary)
    expect(signIn.status).toBe(200)
    expect(
      (await leaver.post('/password', { currentPassword: temporary, newPassword: 'the leaver chose this', repeatPassword: 'the leaver chose this' })).status,
    ).toBe(200)
    const connectionId = ((await leaver.get('/connections')).body.connections as Array<{ id: number }>)[0]!.id
    expect((await leaver.post(`/connections/${connectionId}/pause`)).status).toBe(200)

    expect((await lead.delete(`/users/${String(created.body.id)}`)).status).toBe(200)
    const entries = (await lead.get('/audit')).body.entries as Array<{ action: string; adminEmail: string | null; details: { connectionId?: number } }>
    const paused = entries.find((entry) => entry.action === 'connection_paused' && entry.details.connectionId === connectionId)
    expect(paused?.adminEmail).toBe('leaver@example.test')
    expect(entries.filter((entry) => entry.adminEmail === 'leaver@example.test').map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['sign_in', 'password_changed', 'connection_paused']),
    )
    const { rows } = await stack.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE actor_email = 'leaver@example.test' AND admin_user_id IS NULL",
    )
    expect(rows[0]).toEqual({ n: 0 })
  })
})
