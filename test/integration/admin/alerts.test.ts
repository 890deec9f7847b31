import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { openTicket } from '../../helpers/scenario'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'
import { until } from '../../helpers/until'

// Alerts reach an account's targets: email through the account's SMTP server (a local smtp-server
// here) and Slack/Teams-style webhooks (a local HTTP server), when a connection starts or stops
// failing, at most once per period, and on "send test". Webhooks go to https only (loopback in
// tests) and never follow a redirect.

let stack: TestStack
let client: AdminClient
let smtp: SMTPServer
let smtpPort: number
let hooks: Server
let hooksOrigin: string
const mails: { to: string; raw: string }[] = []
const posts: { path: string; body: string }[] = []
const SMTP_PASSWORD = 'smtp-secret-password'

async function scheduledCycle(): Promise<string> {
  const { rows: before } = await stack.database.pool.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM sync_runs WHERE kind = 'cycle'`)
  await stack.app.cycleScheduler.requestNow()
  const rows = await until(
    async () =>
      (
        await stack.database.pool.query<{ status: string }>(`SELECT status FROM sync_runs WHERE kind = 'cycle' AND id > $1 AND status <> 'running'`, [
          before[0]!.id,
        ])
      ).rows,
    (found) => found.length > 0,
    'a finished cycle',
    45_000,
  )
  return rows[0]!.status
}

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === SMTP_PASSWORD) callback(null, { user: 'alerts' })
      else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        // Unfolded (long headers wrap) and without quoted-printable soft breaks, to match on words.
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), raw: raw.replace(/=\r\n/g, '').replace(/\r\n[ \t]+/g, ' ') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpPort = (smtp.server.address() as AddressInfo).port
  hooks = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      posts.push({ path: request.url ?? '', body })
      if (request.url === '/bounce') response.writeHead(302, { location: `${hooksOrigin}/elsewhere` }).end()
      else response.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))
  hooksOrigin = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`
  stack = await startTestStack({ env: { ALERT_PROBLEM_THRESHOLD: '2' } })
  client = await signedIn(stack)
})
afterAll(async () => {
  await stack?.close()
  await new Promise<void>((resolve) => smtp?.close(() => resolve()))
  await new Promise<void>((resolve) => hooks?.close(() => resolve()))
})

const targets = async () => (await client.get('/alerts')).body.targets as { id: number; kind: string; address: string; lastError: string | null }[]

describe('alerts', () => {
  it('refuses a webhook that is not https (or loopback in tests) and an invalid email address when added', async () => {
    expect((await client.post('/alerts/targets', { kind: 'webhook', address: 'http://hooks.example.com/x' })).body.fieldErrors?.address).toMatch(/https only/)
    expect((await client.post('/alerts/targets', { kind: 'webhook', address: 'ftp://127.0.0.1/x' })).body.fieldErrors?.address).toMatch(/https only/)
    expect((await client.post('/alerts/targets', { kind: 'webhook', address: 'https://user:pw@hooks.example.com/x' })).body.fieldErrors?.address).toBeDefined()
    expect((await client.post('/alerts/targets', { kind: 'email', address: 'not an address' })).body.fieldErrors?.address).toBeDefined()
    expect(await targets()).toEqual([])
  })

  it('keeps the SMTP password sealed and never sends it back when saved', async () => {
    const saved = await client.put('/alerts/smtp', {
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      username: 'alerts',
      password: SMTP_PASSWORD,
      from: 'PSA Link <alerts@example.test>',
    })
    expect(saved.status).toBe(200)
    const { rows } = await stack.database.pool.query<{ password_enc: string }>('SELECT password_enc FROM alert_smtp_settings')
    expect(rows[0]!.password_enc).not.toContain(SMTP_PASSWORD)
    const read = await client.get('/alerts')
    expect(JSON.stringify(read.body)).not.toContain(SMTP_PASSWORD)
    expect(read.body.smtp).toMatchObject({ host: '127.0.0.1', passwordSet: true })
    // Saving again without a password keeps the stored one.
    expect((await client.put('/alerts/smtp', { host: '127.0.0.1', port: smtpPort, username: 'alerts', from: 'alerts@example.test' })).status).toBe(200)
    expect(((await client.get('/alerts')).body.smtp as { passwordSet: boolean }).passwordSet).toBe(true)
  })

  it('delivers a test alert by email and to a webhook as {"text": …} when asked', async () => {
    const email = await client.post('/alerts/targets', { kind: 'email', address: 'oncall@example.test' })
    const webhook = await client.post('/alerts/targets', { kind: 'webhook', address: `${hooksOrigin}/hook` })
    expect((await client.post(`/alerts/targets/${String(email.body.id)}/test`)).status).toBe(200)
    expect(mails.at(-1)).toMatchObject({ to: 'oncall@example.test' })
    expect(mails.at(-1)!.raw).toMatch(/Subject: PSA Link test alert/)
    expect((await client.post(`/alerts/targets/${String(webhook.body.id)}/test`)).status).toBe(200)
    const post = posts.at(-1)!
    expect(post.path).toBe('/hook')
    expect(JSON.parse(post.body)).toEqual({ text: expect.stringMatching(/^PSA Link test alert\n/) })
  })

  it('does not follow a redirect from a webhook when it answers one', async () => {
    const bounce = await client.post('/alerts/targets', { kind: 'webhook', address: `${hooksOrigin}/bounce` })
    const sent = await client.post(`/alerts/targets/${String(bounce.body.id)}/test`)
    expect(sent.status).toBe(502)
    expect(sent.body.message).toMatch(/redirect/)
    expect(posts.some((post) => post.path === '/elsewhere')).toBe(false)
    expect((await client.delete(`/alerts/targets/${String(bounce.body.id)}`)).status).toBe(200)
  })

  it('alerts once when a connection starts failing and once when it works again', async () => {
    openTicket(stack, { subject: 'Scanner jams', clusterId: 'CL-1001' })
    expect(await scheduledCycle()).toBe('succeeded')
    const mailsBefore = mails.length
    const postsBefore = posts.length
    stack.sandbox.autotask.setFaults({ outage: true })
    try {
      for (let cycle = 0; cycle < 4; cycle += 1) expect(await scheduledCycle()).toBe('degraded')
    } finally {
      stack.sandbox.autotask.resetFaults()
    }
    const failingMails = mails.slice(mailsBefore).filter((mail) => /Nothing syncs with "Sandbox Autotask"/.test(mail.raw))
    expect(failingMails).toHaveLength(1)
    const failingPosts = posts.slice(postsBefore).filter((post) => /is failing/.test(post.body))
    expect(failingPosts).toHaveLength(1)
    expect(JSON.parse(failingPosts[0]!.body).text).toMatch(/Autotask connection "Sandbox Autotask" is failing/)

    expect(await scheduledCycle()).toBe('succeeded')
    expect(mails.slice(mailsBefore).filter((mail) => /answered again/.test(mail.raw))).toHaveLength(1)
    expect(posts.slice(postsBefore).filter((post) => /works again/.test(post.body))).toHaveLength(1)
  })

  it('alerts when problems pile up after a cycle', async () => {
    const before = posts.length
    for (const ticketId of [101, 102]) {
      await stack.app.syncStore.recordProblem({
        zendeskAccountId: stack.accountId,
        connectionId: null,
        zendeskTicketId: ticketId,
        autotaskTicketId: null,
        code: 'autotask_create_rejected',
        message: 'Autotask refused the ticket.',
        remoteMessage: 'QueueID is required.',
        retryAt: null,
      })
    }
    await scheduledCycle()
    const piling = posts.slice(before).filter((post) => /problems are waiting/.test(post.body))
    expect(piling).toHaveLength(1)
    expect(JSON.parse(piling[0]!.body).text).toMatch(/^PSA Link \(demo\): \d+ problems are waiting/)
  })

  it('sends an alert of one topic at most once per period per target when asked again', async () => {
    const before = posts.length
    const alert = { topic: 'connection_failing:999', subject: 'PSA Link (demo): a connection is failing', text: 'See the console.' }
    await stack.app.alerter.notify(stack.accountId, alert)
    await stack.app.alerter.notify(stack.accountId, alert)
    expect(posts.slice(before).filter((post) => /a connection is failing/.test(post.body))).toHaveLength(1)
  })

  it('neither lists, tests nor removes another account’s targets when its admin tries', async () => {
    const otherAccountId = await stack.app.tenants.createAccount({ subdomain: 'other', baseUrl: 'http://127.0.0.1:9/other', oauthAccessToken: 'x' })
    const other = await signedIn(stack, { accountId: otherAccountId })
    const mine = await targets()
    expect((await other.get('/alerts')).body.targets).toEqual([])
    expect((await other.get('/alerts')).body.smtp).toBeNull()
    for (const target of mine) {
      expect((await other.post(`/alerts/targets/${target.id}/test`)).status).toBe(404)
      expect((await other.delete(`/alerts/targets/${target.id}`)).status).toBe(404)
    }
    expect(await targets()).toEqual(mine)
  })

  it('records every alert change in the audit log without the SMTP password', async () => {
    const entries = (await client.get('/audit')).body.entries as { action: string; details: Record<string, unknown> }[]
    for (const action of ['alert_smtp_saved', 'alert_target_added', 'alert_test_sent', 'alert_test_failed', 'alert_target_removed'])
      expect(entries.map((entry) => entry.action)).toContain(action)
    expect(JSON.stringify(entries)).not.toContain(SMTP_PASSWORD)
  })
})
