import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { createAdmin } from '../../integration/admin/admin-client'
import { openTicket } from '../../helpers/scenario'
import { cycle } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { until } from '../../helpers/until'
import { ARTIFACTS, buildAdminConsole, launchChromium, REPO_ROOT } from '../preview-harness'

// Every page of the console passes axe-core's WCAG 2 A/AA rules without serious or critical
// violations; replacing the sidebar app's shared secret asks first and says what breaks; and the
// README's screenshots (home, needs action, the failing banner) are taken here.

const AXE = `${REPO_ROOT}node_modules/axe-core/axe.min.js`
// Written to the test artifacts; server/src/admin-ui/docs holds reduced copies of them for the README.
const DOCS = `${ARTIFACTS}/admin-docs`
const PAGES = ['home', 'monitor', 'needs-action', 'inbox', 'timeline', 'connections', 'zendesk', 'backfill', 'alerts', 'users', 'audit', 'password']

let stack: TestStack
let browser: Browser
let page: Page

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)
}

const appSecret = async () =>
  (
    await stack.database.pool.query<{ app_shared_secret_enc: string | null }>('SELECT app_shared_secret_enc FROM zendesk_accounts WHERE id = $1', [
      stack.accountId,
    ])
  ).rows[0]!.app_shared_secret_enc

beforeAll(async () => {
  buildAdminConsole()
  mkdirSync(DOCS, { recursive: true })
  stack = await startTestStack()
  browser = await launchChromium()
  // axe is injected as a script tag, which the console's Content-Security-Policy would refuse.
  page = await browser.newPage({ viewport: { width: 1100, height: 720 }, bypassCSP: true })
  await page.goto(`${stack.origin}/admin/`)
  expect(await seriousViolations()).toEqual([])
  const { email, password } = await createAdmin(stack)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Home' }).waitFor()
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

describe('the console pages in Chromium', () => {
  it('has no serious or critical accessibility violations on any page when rendered', async () => {
    openTicket(stack, { subject: 'Lab is down', clusterId: 'CL-9999' })
    await cycle(stack)
    const found: Record<string, string[]> = {}
    for (const name of PAGES) {
      await page.goto(`${stack.origin}/admin/#/${name}`)
      await page.locator('main h1').first().waitFor()
      await page.waitForLoadState('networkidle')
      const violations = await seriousViolations()
      if (violations.length > 0) found[name] = violations
    }
    expect(found).toEqual({})
  })

  it('asks before replacing the shared secret and says every sidebar stops working when one is set', async () => {
    await page.goto(`${stack.origin}/admin/#/zendesk`)
    const before = await appSecret()
    await page.getByRole('button', { name: 'Generate shared secret' }).click()
    const confirmation = page.getByRole('alertdialog')
    await confirmation.waitFor()
    expect(await confirmation.textContent()).toMatch(/every agent’s PSA Link sidebar shows an error until the new secret is pasted/)
    await confirmation.getByRole('button', { name: 'Cancel' }).click()
    expect(await appSecret()).toBe(before)
    await page.getByRole('button', { name: 'Generate shared secret' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Replace the shared secret' }).click()
    await page.locator('[data-testid=app-secret]').waitFor()
    expect(await appSecret()).not.toBe(before)
  })

  it('explains each choice of who may link by hand and saves the one the admin picks on the Zendesk page', async () => {
    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('group', { name: /Who may link a ticket to an Autotask ticket by its number/ }).waitFor()
    expect(await page.getByTestId('manual-link-hint-admins').textContent()).toMatch(
      /asks Zendesk for the user’s role .* the user id is a claim the agent’s browser writes/,
    )
    await page.getByText('Every agent', { exact: true }).click()
    await page.getByRole('button', { name: 'Save who may link' }).click()
    await page.getByText('Saved: the sidebar follows it from its next read.').waitFor()
    const stored = await stack.database.pool.query<{ sidebar_manual_link: string }>('SELECT sidebar_manual_link FROM zendesk_accounts WHERE id = $1', [
      stack.accountId,
    ])
    expect(stored.rows[0]!.sidebar_manual_link).toBe('agents')
    await page.getByRole('group', { name: /Who may link/ }).screenshot({ path: `${ARTIFACTS}/admin-manual-link-setting.png` })
  })

  it('takes the README screenshots of the home page, the needs-action inbox and the failing banner', async () => {
    const shot = (name: string) => page.screenshot({ path: `${DOCS}/${name}.png`, type: 'png' })
    await page.goto(`${stack.origin}/admin/#/home`)
    await page.locator('[data-step=firstSync]').waitFor()
    // Healthy before the outage below: the banner in the third screenshot is the outage's.
    expect(await page.getByRole('alert').filter({ hasText: 'is failing' }).count()).toBe(0)
    await shot('home')
    await page.goto(`${stack.origin}/admin/#/needs-action`)
    await page.locator('[data-cluster-id="cl-9999"]').waitFor()
    expect(await page.locator('[data-cluster-id="cl-9999"]').count()).toBe(1)
    await shot('needs-action')
    stack.sandbox.autotask.setFaults({ outage: true })
    try {
      for (let run = 0; run < 3; run += 1) {
        await stack.app.cycleScheduler.requestNow()
        await until(
          async () =>
            (await stack.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_runs WHERE kind = 'cycle' AND status = 'degraded'`)).rows[0]!
              .n,
          (n) => n > run,
          'a degraded cycle',
          45_000,
        )
      }
      await page.goto(`${stack.origin}/admin/#/home`)
      await page.getByRole('alert').filter({ hasText: 'is failing' }).waitFor()
      expect(await page.getByRole('alert').filter({ hasText: 'is failing' }).count()).toBe(1)
      await shot('failing-banner')
    } finally {
      stack.sandbox.autotask.resetFaults()
    }
  })
})
