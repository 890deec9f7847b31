import { MAX_FAILED_SIGN_INS } from '../../../server/src/admin/sign-in'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, createAdmin } from '../admin/admin-client'

const generous = { perAddressPerMinute: 10_000, allPerMinute: 10_000 }

async function postSignIn(origin: string, body: unknown) {
  const response = await fetch(`${origin}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
}

describe('sign-in under parallel guessing', () => {
  let stack: TestStack
  beforeAll(async () => {
    // Hashing not capped here: the lock-out alone must hold however many checks run at once.
    stack = await startTestStack({ admin: { signInRate: generous, passwordHashing: { concurrency: 64, maxQueued: 64 } } })
  })
  afterAll(async () => stack?.close())

  it('checks no more passwords than the lock-out allows and refuses the right one when 30 wrong ones race it', async () => {
    const { email, password } = await createAdmin(stack)
    const guesses = Array.from({ length: 30 }, (_, index) => `wrong guess ${index}`)
    // All at once, the right password last: a check made before any failure is recorded would let it in.
    const answers = await Promise.all([...guesses, password].map((guess) => postSignIn(stack.origin, { email, password: guess })))
    expect(answers.map((answer) => answer.status)).toEqual(Array(31).fill(401))
    expect(answers.every((answer) => answer.headers.getSetCookie().length === 0)).toBe(true)
    const { rows } = await stack.database.pool.query<{ failed_attempts: number; locked: boolean }>(
      'SELECT failed_attempts, locked_until > now() AS locked FROM admin_users WHERE email = $1',
      [email],
    )
    // Each attempt was counted before its password was checked: exactly the threshold got a check.
    expect(rows[0]).toEqual({ failed_attempts: MAX_FAILED_SIGN_INS, locked: true })
    const { rows: audit } = await stack.database.pool.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE actor_email = $1 GROUP BY action ORDER BY action`,
      [email],
    )
    expect(audit).toEqual([
      { action: 'sign_in_failed', n: MAX_FAILED_SIGN_INS },
      { action: 'sign_in_locked', n: 31 - MAX_FAILED_SIGN_INS },
    ])
  })

  it('gives the same status and body for an unknown email, a wrong password and a locked login when refusing', async () => {
    const { email, password } = await createAdmin(stack)
    const locked = await createAdmin(stack)
    await stack.database.pool.query("UPDATE admin_users SET failed_attempts = $2, locked_until = now() + interval '10 minutes' WHERE email = $1", [
      locked.email,
      MAX_FAILED_SIGN_INS,
    ])
    const unknown = await postSignIn(stack.origin, { email: `nobody-${Date.now()}@example.test`, password })
    const wrong = await postSignIn(stack.origin, { email, password: `${password} not` })
    const lockedRight = await postSignIn(stack.origin, { email: locked.email, password: locked.password })
    const unknownAccount = await postSignIn(stack.origin, { email, password, zendesk: 'no-such-account' })
    for (const answer of [wrong, lockedRight, unknownAccount])
      expect({ status: answer.status, body: answer.body }).toEqual({ status: unknown.status, body: unknown.body })
    expect(unknown.status).toBe(401)
    expect((await postSignIn(stack.origin, { email, password })).status).toBe(200)
  })
})

describe('sign-in rate limits', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack()
  })
  afterAll(async () => stack?.close())

  it('refuses the 21st sign-in and setup attempt a minute from one address by default, and not those from another address', async () => {
    const client = adminClient(stack.origin)
    for (let attempt = 1; attempt <= 20; attempt += 1) expect((await client.signIn(`guess${attempt}@example.test`, 'a guessed password')).status).toBe(401)
    const limited = await client.signIn('guess21@example.test', 'a guessed password')
    expect(limited.status).toBe(429)
    expect(limited.body.code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)

    const setup = {
      setupCode: 'AAAA-BBBB-CCCC',
      zendesk: 'acme',
      email: 'ops@acme.test',
      password: 'a long first password',
      repeatPassword: 'a long first password',
    }
    for (let attempt = 1; attempt <= 20; attempt += 1) expect((await client.post('/setup', setup)).status).toBe(400)
    expect((await client.post('/setup', setup)).status).toBe(429)

    const elsewhere = await stack.app.inject({
      method: 'POST',
      url: '/admin/api/session',
      remoteAddress: '10.20.30.40',
      payload: { email: 'guess@example.test', password: 'a guessed password' },
    })
    expect(elsewhere.statusCode).toBe(401)
  })
})

describe('sign-in rate limit over all addresses', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({ admin: { signInRate: { perAddressPerMinute: 100, allPerMinute: 10 } } })
  })
  afterAll(async () => stack?.close())

  it('refuses sign-ins spread over many addresses once the limit for all of them is reached', async () => {
    const from = (address: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/admin/api/session',
        remoteAddress: address,
        payload: { email: 'guess@example.test', password: 'a guessed password' },
      })
    for (let host = 1; host <= 10; host += 1) expect((await from(`10.0.0.${host}`)).statusCode).toBe(401)
    const refused = await from('10.0.0.11')
    expect(refused.statusCode).toBe(429)
    expect(refused.json()).toMatchObject({ code: 'rate_limited' })
  })
})

describe('a flood of sign-ins', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({ admin: { signInRate: generous, passwordHashing: { concurrency: 2, maxQueued: 4 } } })
  })
  afterAll(async () => stack?.close())

  it('refuses what exceeds the password-hashing queue at once and keeps answering /health when 30 sign-ins arrive together', async () => {
    const finished: string[] = []
    const signIns = Array.from({ length: 30 }, (_, index) =>
      postSignIn(stack.origin, { email: `flood${index}@example.test`, password: 'a guessed password' }).then((answer) => {
        finished.push(`sign-in ${answer.status}`)
        return answer
      }),
    )
    const health = fetch(`${stack.origin}/health`).then((response) => {
      finished.push(`health ${response.status}`)
      return response
    })
    const answers = await Promise.all(signIns)
    expect((await health).status).toBe(200)

    const busy = answers.filter((answer) => answer.status === 503)
    const checked = answers.filter((answer) => answer.status === 401)
    expect(busy.length + checked.length).toBe(30)
    // 2 hashing and 4 waiting: the rest is refused without queuing behind them.
    expect(busy.length).toBeGreaterThanOrEqual(12)
    expect(busy.every((answer) => answer.body.code === 'busy' && Number(answer.headers.get('retry-after')) > 0)).toBe(true)
    // /health did not wait for the hashing: it answered before the last checked sign-in.
    expect(finished.indexOf('health 200')).toBeLessThan(finished.lastIndexOf('sign-in 401'))
  })
})
