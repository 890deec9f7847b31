import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { SMTPServer } from 'smtp-server'
import { FAILING_AFTER_CYCLES } from '../../../server/src/db/repositories/connection-health-repository'
import { createAdmin } from '../../integration/admin/admin-client'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { launchChromium } from '../preview-harness'
import { seriousViolations, signIn, waitFor } from './walk-helpers'

// Issue 16's first walk, as an admin sees it: alert targets set up in the console (a local SMTP
// server and a loopback webhook receiver), the Autotask emulator goes down, the connection turns
// "failing" within three cycles with the banner shown, the email and the webhook arrive, and all of
// it clears when the emulator answers again. Cycles are asked for on demand, as "Run a cycle now" does.

let stack: TestStack
let browser: Browser
let page: Page
let smtp: SMTPServer
let hooks: Server
let hooksOrigin = ''
const mails: string[] = []
const posts: string[] = []

async function finishedCycle(): Promise<string> {
  const { rows } = await stack.database.pool.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM sync_runs WHERE kind = 'cycle'`)
  await stack.app.cycleScheduler.requestNow()
  let status = ''
  await waitFor(async () => {
    const found = await stack.database.pool.query<{ status: string }>(
      `SELECT status FROM sync_runs WHERE kind = 'cycle' AND id > $1 AND status <> 'running' ORDER BY id LIMIT 1`,
      [rows[0]!.id],
    )
    status = found.rows[0]?.status ?? ''
    return status !== ''
  }, 'a finished cycle')
  return status
}

/** Failing, as the console and the alerts count it: three failed cycles in a row (FAILING_AFTER_CYCLES). */
const failedCycles = async () =>
  (
    await stack.database.pool.query<{ failed_cycles: number }>('SELECT failed_cycles FROM autotask_connections WHERE zendesk_account_id = $1', [
      stack.accountId,
    ])
  ).rows[0]!.failed_cycles

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        mails.push(raw.replace(/=\r\n/g, '').replace(/\r\n[ \t]+/g, ' '))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  hooks = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      posts.push(body)
      response.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))
  hooksOrigin = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`

  // The console is built by the browser tests' global setup.
  stack = await startTestStack()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1100, height: 800 }, bypassCSP: true })
  await signIn(page, stack.origin, await createAdmin(stack))
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))
  await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()))
})

describe('an Autotask outage, walked in Chromium', () => {
  it('sets up an email and a webhook target in the alerts page', async () => {
    await page.goto(`${stack.origin}/admin/#/alerts`)
    await page.getByRole('heading', { name: 'Alerts' }).waitFor()
    await page.fill('input[name=smtpHost]', '127.0.0.1')
    await page.fill('input[name=smtpPort]', String((smtp.server.address() as AddressInfo).port))
    await page.fill('input[name=smtpFrom]', 'PSA Link <alerts@example.test>')
    await page.getByRole('button', { name: 'Save SMTP server' }).click()
    await page.getByRole('status').filter({ hasText: 'SMTP server saved.' }).waitFor()

    await page.fill('input[name=address]', 'oncall@example.test')
    await page.getByRole('button', { name: 'Add target' }).click()
    await page.locator('[data-alert-target="oncall@example.test"]').waitFor()
    await page.selectOption('select[name=kind]', 'webhook')
    await page.fill('input[name=address]', `${hooksOrigin}/alerts`)
    await page.getByRole('button', { name: 'Add target' }).click()
    await page.locator(`[data-alert-target="${hooksOrigin}/alerts"]`).waitFor()
    expect(await seriousViolations(page)).toEqual([])
  })

  it('turns the connection failing within three cycles, shows the banner and sends the email and the webhook when Autotask is down', async () => {
    await page.goto(`${stack.origin}/admin/#/home`)
    await page.locator('[data-step=firstSync]').waitFor()
    expect(await page.getByRole('alert').filter({ hasText: 'is failing' }).count()).toBe(0)
    stack.sandbox.autotask.setFaults({ outage: true })
    const statuses: string[] = []
    for (let run = 0; run < 3 && (await failedCycles()) < FAILING_AFTER_CYCLES; run += 1) statuses.push(await finishedCycle())
    expect(statuses).toHaveLength(3)
    expect(statuses.every((status) => status === 'degraded' || status === 'failed')).toBe(true)
    expect(await failedCycles()).toBe(FAILING_AFTER_CYCLES)

    await page.reload()
    const banner = page.getByRole('alert').filter({ hasText: 'Autotask connection “Sandbox Autotask” is failing' })
    await banner.waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await waitFor(async () => mails.some((mail) => /Nothing syncs with "Sandbox Autotask"/.test(mail)), 'the failing email')
    await waitFor(async () => posts.some((post) => /Autotask connection \\"Sandbox Autotask\\" is failing/.test(post)), 'the failing webhook')
    expect(mails.find((mail) => /Nothing syncs with/.test(mail))).toMatch(/To: oncall@example.test/)
  })

  it('clears the banner and says so by email and webhook when Autotask answers again', async () => {
    stack.sandbox.autotask.resetFaults()
    expect(await finishedCycle()).toBe('succeeded')
    expect(await failedCycles()).toBe(0)
    await page.reload()
    await page.locator('[data-step=firstSync]').waitFor()
    expect(await page.getByRole('alert').filter({ hasText: 'is failing' }).count()).toBe(0)
    await waitFor(async () => mails.some((mail) => /answered again/.test(mail)), 'the recovery email')
    await waitFor(async () => posts.some((post) => /works again/.test(post)), 'the recovery webhook')
    await page.goto(`${stack.origin}/admin/#/monitor`)
    await page.locator('main h1').first().waitFor()
    await page.waitForLoadState('networkidle')
    expect(await seriousViolations(page)).toEqual([])
  })
})
