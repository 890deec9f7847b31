import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { SANDBOX_ADMIN } from '../../../server/sandbox/src/sandbox-admin'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { ARTIFACTS, launchChromium, REPO_ROOT } from '../preview-harness'

const SHOTS = `${ARTIFACTS}/admin`
let stack: TestStack
let browser: Browser
let page: Page

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
const twoDaysAgo = () => new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'server/src/admin-ui/vite.config.ts'], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`admin UI build failed:\n${build.stdout}\n${build.stderr}`)
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

describe('the admin console in Chromium', () => {
  it('takes an admin from the first sign-in to a backfill and a routed Cluster ID', async () => {
    // Sign in, then the forced password change.
    await page.goto(`${stack.origin}/admin/`)
    await page.fill('input[name=email]', SANDBOX_ADMIN.email)
    await page.fill('input[name=password]', 'not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('[data-field-error=password]').waitFor()
    await page.fill('input[name=password]', SANDBOX_ADMIN.firstPassword)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    await page.fill('input[name=currentPassword]', SANDBOX_ADMIN.firstPassword)
    await page.fill('input[name=newPassword]', SANDBOX_ADMIN.firstPassword)
    await page.fill('input[name=repeatPassword]', SANDBOX_ADMIN.firstPassword)
    await page.getByRole('button', { name: 'Save password' }).click()
    await expectText('[data-field-error=newPassword]', /different from the current one/)
    await shot('01-forced-password-change')
    await page.fill('input[name=newPassword]', 'my own long password')
    await page.fill('input[name=repeatPassword]', 'my own long password')
    await page.getByRole('button', { name: 'Save password' }).click()
    await page.getByRole('heading', { name: 'Home' }).waitFor()

    // Zendesk: OAuth through the emulator's authorization page.
    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: /Connect with OAuth/ }).click()
    await page.getByRole('heading', { name: /would like to access your Zendesk account/ }).waitFor()
    await shot('02-zendesk-authorization-page')
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.getByText('Zendesk connected').waitFor()
    await expectText('[data-testid=zendesk-auth]', /Connected with OAuth/)
    await shot('03-zendesk-connected')

    // Autotask: remove the seeded connection, then add it again through the form.
    await page.goto(`${stack.origin}/admin/#/connections`)
    await page.locator('[data-connection="Sandbox Autotask"]').getByRole('button', { name: 'Remove' }).click()
    await page.getByText('No Autotask connection yet.').waitFor()
    await page.getByRole('button', { name: 'Add connection' }).click()
    await page.fill('input[name=zoneUrl]', 'not a url')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await expectText('[data-field-error=name]', /Enter name/)
    await expectText('[data-field-error=zoneUrl]', /Enter a zone URL/)
    await shot('04-connection-form-errors')
    await page.fill('input[name=name]', 'Sandbox Autotask')
    await page.fill('input[name=zoneUrl]', `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`)
    await page.fill('input[name=apiUsername]', 'api@demo.test')
    await page.fill('input[name=secret]', 'wrong secret')
    await page.fill('input[name=integrationCode]', 'SANDBOX0INTEGRATION0CODE0001')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await expectText('[data-field-error=credentials]', /Autotask answered: \S/)
    await shot('05-connection-refused-by-autotask')
    await page.fill('input[name=secret]', 'sandbox-secret')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await page.getByRole('heading', { name: 'Mappings' }).waitFor()

    // Map: a bad due-date hour is refused next to its field, then the mapping is saved.
    await page.selectOption('select[name=queueId]', { index: 1 })
    await page.fill('input[name="dueHours.urgent"]', '0')
    await page.getByRole('button', { name: 'Save mappings' }).click()
    await expectText('[data-field-error="dueHours.urgent"]', /greater than 0/)
    await shot('06-mapping-error')
    await page.fill('input[name="dueHours.urgent"]', '2')
    await page.getByRole('button', { name: 'Save mappings' }).click()
    await page.getByText('Mappings checked against the live picklists and saved.').waitFor()
    await shot('07-mappings-saved')

    // Backfill: dry run, then the run with its progress bar.
    await page.goto(`${stack.origin}/admin/#/backfill`)
    await page.fill('input[name=startDate]', twoDaysAgo())
    // The dry run is a job: slowed down, the page shows how far the count has got.
    stack.sandbox.zendesk.setFaults({ latencyMs: 1500 })
    await page.getByRole('button', { name: 'Count (dry run)' }).click()
    await page.locator('[data-testid=backfill-dry-run-progress][data-state=running]').waitFor()
    await expectText('[data-testid=backfill-dry-run-progress]', /Counting: \d+ Zendesk tickets read in 1 page so far/)
    await shot('08a-backfill-dry-run-counting')
    stack.sandbox.zendesk.clearFaults()
    await expectText('[data-testid=backfill-estimate]', /3 tickets and \d+ notes would be created/)
    await shot('08-backfill-dry-run')
    await page.getByRole('button', { name: 'Start backfill' }).click()
    await page.locator('[data-testid=backfill-progress]').first().waitFor()
    await page.locator('[data-testid=backfill-progress][data-state=succeeded]').waitFor({ timeout: 60_000 })
    await expectText('[data-testid=backfill-progress]', /3 Autotask tickets and \d+ notes created/)
    await shot('09-backfill-done')

    // Needs action: ticket 4's Cluster ID matches two installed products; routing it links the ticket.
    await page.goto(`${stack.origin}/admin/#/needs-action`)
    const group = page.locator('[data-cluster-id="cl-1005"]')
    await group.waitFor()
    await expectText('[data-cluster-id="cl-1005"] h2', /Cluster ID cl-1005 matches 2 installed products/)
    await shot('10-needs-action')
    await group.getByRole('button', { name: 'Route cl-1005' }).click()
    await page.getByRole('status').filter({ hasText: 'syncing now' }).waitFor()
    await waitFor(async () => (await stack.database.pool.query('SELECT 1 FROM ticket_links WHERE zendesk_ticket_id = 4 AND autotask_ticket_id IS NOT NULL')).rowCount === 1, 'ticket 4 to link')

    await page.goto(`${stack.origin}/admin/#/monitor`)
    await page.locator('svg[aria-label="Items synced and duration per run"] rect').first().waitFor()
    await shot('11-monitor')
    await page.goto(`${stack.origin}/admin/#/timeline?zendeskTicketId=1`)
    await expectText('[data-testid=timeline-state]', /Linked via Sandbox Autotask/)
    await shot('12-timeline')
  })
})

async function expectText(selector: string, pattern: RegExp): Promise<void> {
  const locator = page.locator(selector).first()
  await locator.waitFor()
  await waitFor(async () => pattern.test((await locator.textContent()) ?? ''), `${selector} to match ${pattern}`)
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
