import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { SANDBOX_ADMIN } from '../../../server/sandbox/src/sandbox-admin'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { until } from '../../helpers/until'
import { ARTIFACTS, buildAdminConsole, launchChromium } from '../preview-harness'

// An admin's first hour in the console, one step per test: each step starts where the previous one
// left the console (same page, same database), so they run in order; each checks what the admin
// sees after it (text, counts, state) and what was stored.

const SHOTS = `${ARTIFACTS}/admin`
let stack: TestStack
let browser: Browser
let page: Page

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
const twoDaysAgo = () => new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)
const textOf = (selector: string) => async () => (await page.locator(selector).first().textContent({ timeout: 20_000 })) ?? ''
const countOf = (selector: string) => () => page.locator(selector).count()
// What the admin sees, read until it settles; the timeout only bounds a hang (expect.poll's default is 1 s).
const poll = <T>(read: () => Promise<T>, timeout = 30_000) => expect.poll(read, { timeout, interval: 100 })
const rowCount = async (sql: string, params: unknown[] = []) => (await stack.database.pool.query(sql, params)).rowCount

beforeAll(async () => {
  buildAdminConsole()
  mkdirSync(SHOTS, { recursive: true })
  stack = await startTestStack()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on('dialog', (dialog) => void dialog.accept())
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

describe.sequential('the admin console in Chromium, from the first sign-in to a routed Cluster ID', () => {
  it('says the password is wrong, then asks for a new one when the admin signs in with the first password', async () => {
    await page.goto(`${stack.origin}/admin/`)
    await page.fill('input[name=email]', SANDBOX_ADMIN.email)
    await page.fill('input[name=password]', 'not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await poll(textOf('[data-field-error=password]')).not.toBe('')
    expect(await page.getByRole('heading', { name: 'Home' }).count()).toBe(0)
    await page.fill('input[name=password]', SANDBOX_ADMIN.firstPassword)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await poll(() => page.getByRole('heading', { name: 'Choose a new password' }).count()).toBe(1)
  })

  it('refuses the first password again, then shows Home when the admin saves a password of their own', async () => {
    await page.fill('input[name=currentPassword]', SANDBOX_ADMIN.firstPassword)
    await page.fill('input[name=newPassword]', SANDBOX_ADMIN.firstPassword)
    await page.fill('input[name=repeatPassword]', SANDBOX_ADMIN.firstPassword)
    await page.getByRole('button', { name: 'Save password' }).click()
    await poll(textOf('[data-field-error=newPassword]')).toMatch(/different from the current one/)
    expect(await page.getByRole('heading', { name: 'Home' }).count()).toBe(0)
    await shot('01-forced-password-change')
    await page.fill('input[name=newPassword]', 'my own long password')
    await page.fill('input[name=repeatPassword]', 'my own long password')
    await page.getByRole('button', { name: 'Save password' }).click()
    await poll(() => page.getByRole('heading', { name: 'Home' }).count()).toBe(1)
    expect(await page.getByRole('heading', { name: 'Choose a new password' }).count()).toBe(0)
  })

  it('shows Zendesk connected with OAuth when the admin allows access on the authorization page', async () => {
    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: /Connect with OAuth/ }).click()
    await poll(() => page.getByRole('heading', { name: /would like to access your Zendesk account/ }).count()).toBe(1)
    await shot('02-zendesk-authorization-page')
    await page.getByRole('button', { name: 'Allow' }).click()
    await poll(() => page.getByText('Zendesk connected').count()).toBeGreaterThan(0)
    await poll(textOf('[data-testid=zendesk-auth]')).toMatch(/Connected with OAuth/)
    await shot('03-zendesk-connected')
  })

  it('names each missing field and then what Autotask answered when the connection form is wrong', async () => {
    await page.goto(`${stack.origin}/admin/#/connections`)
    await page.locator('[data-connection="Sandbox Autotask"]').getByRole('button', { name: 'Remove' }).click()
    await poll(() => page.getByText('No Autotask connection yet.').count()).toBe(1)
    expect(await countOf('[data-connection]')()).toBe(0)
    await page.getByRole('button', { name: 'Add connection' }).click()
    await page.fill('input[name=zoneUrl]', 'not a url')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await poll(textOf('[data-field-error=name]')).toMatch(/Enter name/)
    await poll(textOf('[data-field-error=zoneUrl]')).toMatch(/Enter a zone URL/)
    await shot('04-connection-form-errors')
    await page.fill('input[name=name]', 'Sandbox Autotask')
    await page.fill('input[name=zoneUrl]', `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`)
    await page.fill('input[name=apiUsername]', 'api@demo.test')
    await page.fill('input[name=secret]', 'wrong secret')
    await page.fill('input[name=integrationCode]', 'SANDBOX0INTEGRATION0CODE0001')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await poll(textOf('[data-field-error=credentials]')).toMatch(/Autotask answered: \S/)
    await shot('05-connection-refused-by-autotask')
    expect(await rowCount('SELECT 1 FROM autotask_connections WHERE zendesk_account_id = $1 AND removed_at IS NULL', [stack.accountId])).toBe(0)
  })

  it('adds the connection and opens its mappings when the credentials are right', async () => {
    await page.fill('input[name=secret]', 'sandbox-secret')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await poll(() => page.getByRole('heading', { name: 'Mappings' }).count()).toBe(1)
    expect(await rowCount('SELECT 1 FROM autotask_connections WHERE zendesk_account_id = $1 AND removed_at IS NULL', [stack.accountId])).toBe(1)
  })

  it('refuses a due-date hour of 0 next to its field, then saves the mappings when it is 2', async () => {
    await page.selectOption('select[name=queueId]', { index: 1 })
    await page.fill('input[name="dueHours.urgent"]', '0')
    await page.getByRole('button', { name: 'Save mappings' }).click()
    await poll(textOf('[data-field-error="dueHours.urgent"]')).toMatch(/greater than 0/)
    expect(await page.getByText('Mappings checked against the live picklists and saved.').count()).toBe(0)
    await shot('06-mapping-error')
    await page.fill('input[name="dueHours.urgent"]', '2')
    await page.getByRole('button', { name: 'Save mappings' }).click()
    await poll(() => page.getByText('Mappings checked against the live picklists and saved.').count()).toBe(1)
    expect(await countOf('[data-field-error="dueHours.urgent"]')()).toBe(0)
    await shot('07-mappings-saved')
  })

  it('counts 3 tickets in the dry run, then creates them with a progress bar when the backfill runs', async () => {
    await page.goto(`${stack.origin}/admin/#/backfill`)
    await page.fill('input[name=startDate]', twoDaysAgo())
    // The dry run is a job: slowed down (a latency floor: a loaded machine only slows it more), the
    // page shows how far the count has got.
    stack.sandbox.zendesk.setFaults({ latencyMs: 1500 })
    try {
      await page.getByRole('button', { name: 'Count (dry run)' }).click()
      await poll(countOf('[data-testid=backfill-dry-run-progress][data-state=running]')).toBe(1)
      await poll(textOf('[data-testid=backfill-dry-run-progress]')).toMatch(/Counting: \d+ Zendesk tickets read in 1 page so far/)
      await shot('08a-backfill-dry-run-counting')
    } finally {
      stack.sandbox.zendesk.clearFaults()
    }
    await poll(textOf('[data-testid=backfill-estimate]')).toMatch(/3 tickets and \d+ notes would be created/)
    await shot('08-backfill-dry-run')
    await page.getByRole('button', { name: 'Start backfill' }).click()
    await poll(countOf('[data-testid=backfill-progress]')).toBeGreaterThan(0)
    await poll(countOf('[data-testid=backfill-progress][data-state=succeeded]'), 60_000).toBe(1)
    await poll(textOf('[data-testid=backfill-progress]')).toMatch(/3 Autotask tickets and \d+ notes created/)
    await shot('09-backfill-done')
  })

  it('links ticket 4 when the admin routes its Cluster ID that matches two installed products', async () => {
    await page.goto(`${stack.origin}/admin/#/needs-action`)
    await poll(textOf('[data-cluster-id="cl-1005"] h2')).toMatch(/Cluster ID cl-1005 matches 2 installed products/)
    await shot('10-needs-action')
    expect(await rowCount('SELECT 1 FROM ticket_links WHERE zendesk_ticket_id = 4 AND autotask_ticket_id IS NOT NULL')).toBe(0)
    await page.locator('[data-cluster-id="cl-1005"]').getByRole('button', { name: 'Route cl-1005' }).click()
    await poll(() => page.getByRole('status').filter({ hasText: 'syncing now' }).count()).toBe(1)
    const linked = await until(
      () => rowCount('SELECT 1 FROM ticket_links WHERE zendesk_ticket_id = 4 AND autotask_ticket_id IS NOT NULL'),
      (n) => n === 1,
      'ticket 4 to link',
    )
    expect(linked).toBe(1)
  })

  it('charts the runs on the monitor and shows ticket 1 linked on its timeline', async () => {
    await page.goto(`${stack.origin}/admin/#/monitor`)
    await poll(countOf('svg[aria-label="Items synced and duration per run"] rect')).toBeGreaterThan(0)
    await shot('11-monitor')
    await page.goto(`${stack.origin}/admin/#/timeline?zendeskTicketId=1`)
    await poll(textOf('[data-testid=timeline-state]')).toMatch(/Linked via Sandbox Autotask/)
    await shot('12-timeline')
  })
})
