import { SANDBOX_ADMIN } from '../../../server/sandbox/src/sandbox-admin'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, createAdmin, signedIn } from './admin-client'

let stack: TestStack

beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => stack?.close())

describe('admin sign-in', () => {
  it('forces the seeded sandbox admin to change the first password before anything else when signing in', async () => {
    const client = adminClient(stack.origin)
    const signIn = await client.signIn(SANDBOX_ADMIN.email, SANDBOX_ADMIN.firstPassword)
    expect(signIn.status).toBe(200)
    expect(signIn.body.mustChangePassword).toBe(true)
    expect(signIn.headers.getSetCookie().join(';')).toMatch(/HttpOnly/i)
    expect(signIn.headers.getSetCookie().join(';')).toMatch(/SameSite=Strict/i)

    expect((await client.get('/connections')).body.code).toBe('password_change_required')
    expect((await client.get('/session')).body.mustChangePassword).toBe(true)

    const same = await client.post('/password', {
      currentPassword: SANDBOX_ADMIN.firstPassword,
      newPassword: SANDBOX_ADMIN.firstPassword,
      repeatPassword: SANDBOX_ADMIN.firstPassword,
    })
    expect(same.status).toBe(400)
    expect(same.body.fieldErrors?.newPassword).toMatch(/different/)
    const short = await client.post('/password', { currentPassword: SANDBOX_ADMIN.firstPassword, newPassword: 'short', repeatPassword: 'short' })
    expect(short.body.fieldErrors?.newPassword).toMatch(/at least 12/)
    const wrongCurrent = await client.post('/password', { currentPassword: 'nope', newPassword: 'a new long password', repeatPassword: 'a new long password' })
    expect(wrongCurrent.body.fieldErrors?.currentPassword).toMatch(/not your current password/)
    const mismatch = await client.post('/password', {
      currentPassword: SANDBOX_ADMIN.firstPassword,
      newPassword: 'a new long password',
      repeatPassword: 'another long password',
    })
    expect(mismatch.body.fieldErrors?.repeatPassword).toMatch(/differ/)
    expect((await client.get('/connections')).status).toBe(403)

    const changed = await client.post('/password', {
      currentPassword: SANDBOX_ADMIN.firstPassword,
      newPassword: 'a new long password',
      repeatPassword: 'a new long password',
    })
    expect(changed.status).toBe(200)
    expect((await client.get('/connections')).status).toBe(200)

    const again = adminClient(stack.origin)
    expect((await again.signIn(SANDBOX_ADMIN.email, SANDBOX_ADMIN.firstPassword)).status).toBe(401)
    expect((await again.signIn(SANDBOX_ADMIN.email, 'a new long password')).body.mustChangePassword).toBe(false)
  })

  it('refuses a wrong password with a message next to the field when signing in', async () => {
    const { email } = await createAdmin(stack)
    const response = await adminClient(stack.origin).signIn(email, 'wrong password')
    expect(response.status).toBe(401)
    expect(response.body.fieldErrors?.password).toMatch(/not right/)
    const empty = await adminClient(stack.origin).signIn('', '')
    expect(empty.status).toBe(400)
    expect(Object.keys(empty.body.fieldErrors ?? {})).toEqual(['email', 'password'])
  })

  it('locks a login for 15 minutes after 5 failures, even against the right password, when guessed at', async () => {
    const { email, password } = await createAdmin(stack)
    const client = adminClient(stack.origin)
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await client.signIn(email, `guess ${attempt}`)).status).toBe(401)
    const fifth = await client.signIn(email, 'guess 5')
    expect(fifth.status).toBe(401)
    // Locked, the right password gets the same answer as a wrong one (see test/integration/security).
    const right = await client.signIn(email, password)
    expect(right.status).toBe(401)
    expect(right.body).toEqual(fifth.body)
    const { rows } = await stack.database.pool.query('SELECT locked_until - now() AS left FROM admin_users WHERE email = $1', [email])
    expect((rows[0] as { left: { minutes?: number } }).left.minutes).toBeGreaterThanOrEqual(14)

    await stack.database.pool.query("UPDATE admin_users SET locked_until = now() - interval '1 second' WHERE email = $1", [email])
    expect((await client.signIn(email, password)).status).toBe(200)
  })

  it('refuses a state-changing request without the session CSRF token and changes nothing', async () => {
    const client = await signedIn(stack)
    const connection = (await client.get('/connections')).body.connections as Array<{ id: number; paused: boolean }>
    const id = connection[0]!.id
    const refused = await client.post(`/connections/${id}/pause`, {}, { csrf: false })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('csrf')
    const { rows } = await stack.database.pool.query('SELECT paused FROM autotask_connections WHERE id = $1', [id])
    expect(rows[0]).toEqual({ paused: false })
    const forged = await client.call('POST', `/admin/api/connections/${id}/pause`, {}, { csrf: false })
    expect(forged.status).toBe(403)
  })

  it('refuses a sign-in that is not JSON (a cross-site form post) when signing in', async () => {
    const response = await fetch(`${stack.origin}/admin/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: SANDBOX_ADMIN.email, password: 'x' }),
    })
    expect(response.status).toBe(415)
  })

  it('ends the session on sign-out and answers 401 afterwards when signed out', async () => {
    const client = await signedIn(stack)
    expect((await client.delete('/session')).status).toBe(200)
    expect((await client.get('/connections')).status).toBe(401)
    expect((await adminClient(stack.origin).get('/connections')).status).toBe(401)
  })

  it('creates admin logins with a temporary password to change and validates the form when adding an admin', async () => {
    const client = await signedIn(stack)
    const bad = await client.post('/users', { email: 'not-an-email', connectionId: 999999 })
    expect(bad.status).toBe(400)
    expect(bad.body.fieldErrors?.email).toMatch(/email address/)
    const created = await client.post('/users', { email: 'new.admin@example.test' })
    expect(created.status).toBe(201)
    const temporary = String(created.body.temporaryPassword)
    const duplicate = await client.post('/users', { email: 'NEW.admin@example.test' })
    expect(duplicate.body.fieldErrors?.email).toMatch(/already exists/)
    const fresh = adminClient(stack.origin)
    expect((await fresh.signIn('new.admin@example.test', temporary)).body.mustChangePassword).toBe(true)
    const audit = (await client.get('/audit')).body.entries as Array<{ action: string }>
    expect(audit.map((entry) => entry.action)).toContain('admin_user_created')
  })
})
