import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createZendeskEmulator, type ZendeskEmulator } from '../../../server/sandbox/src/zendesk'
import { runCycle } from '../../../server/src/sync/run-cycle'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { ARTIFACTS, launchChromium, REPO_ROOT } from '../preview-harness'

// Issue 21 in Chromium: two Zendesk accounts PSA Link has never seen onboard one after the other on
// one backend by signing in with Zendesk, each sees only itself, an agent is refused, and one
// account removes itself while the other's data stays. The README's onboarding screenshots come from here.

const SHOTS = `${ARTIFACTS}/onboarding`
let stack: TestStack
let browser: Browser
let acme: ZendeskEmulator
let globex: ZendeskEmulator
const contexts: BrowserContext[] = []
/** acme's first admin, still signed in for the second test. */
let ada: Page

beforeAll(async () => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'server/src/admin-ui/vite.config.ts'], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`admin UI build failed:\n${build.stdout}\n${build.stderr}`)
  mkdirSync(SHOTS, { recursive: true })
  // No export lag: the first cycle sees a ticket opened a moment before it.
  acme = createZendeskEmulator({ subdomain: 'acme', accountId: 3_000_001, exportLagSeconds: 0 })
  globex = createZendeskEmulator({ subdomain: 'globex', accountId: 3_000_002 })
  stack = await startTestStack({ emulators: { zendeskAccounts: [acme, globex] } })
  browser = await launchChromium()
})
afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await stack?.close()
})

/** A person's own browser (own cookies). */
async function person(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  contexts.push(context)
  return context.newPage()
}

/** Signs in with Zendesk from the console's sign-in page, as `userId` on Zendesk's authorization page. */
async function signInWithZendesk(page: Page, subdomain: string, userId: number, shot?: string): Promise<void> {
  await page.goto(`${stack.origin}/admin/#/sign-in`)
  await page.getByLabel('Your Zendesk').fill(subdomain)
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}-sign-in.png` })
  await page.getByRole('button', { name: 'Continue with Zendesk' }).click()
  await page.getByRole('heading', { name: /would like to access your Zendesk account/ }).waitFor()
  await page.getByLabel('Signed in as').selectOption(String(userId))
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}-authorize.png` })
  await page.getByRole('button', { name: 'Allow' }).click()
}

const accountNav = (page: Page) => page.getByRole('navigation', { name: 'Admin sections' })
const accountExists = async (subdomain: string) =>
  (await stack.database.pool.query('SELECT 1 FROM zendesk_accounts WHERE subdomain = $1', [subdomain])).rows.length > 0

describe('Marketplace onboarding in Chromium', () => {
  it('onboards two Zendesk accounts, refuses an agent, and removes one account while the other stays', async () => {
    // acme's admin: a Zendesk account PSA Link has never seen.
    const adaUser = acme.createUser({ name: 'Ada Admin', email: 'ada@acme.test', role: 'admin' })
    const gusUser = globex.createUser({ name: 'Gus Admin', email: 'gus@globex.test', role: 'admin' })
    ada = await person()
    await signInWithZendesk(ada, 'acme', adaUser.id, '01-acme')
    await ada.getByRole('heading', { name: 'Home' }).waitFor()
    await expect.poll(() => accountNav(ada).textContent()).toContain('acme · ada@acme.test')
    await ada.screenshot({ path: `${SHOTS}/02-acme-home-checklist.png`, fullPage: true })
    expect(await accountExists('acme')).toBe(true)

    // globex's agent: refused with a clear message, and globex is not created.
    const sam = await person()
    await signInWithZendesk(sam, 'globex', globex.agents()[0]!.id)
    await sam.locator('[data-zendesk-refusal=not_admin]').waitFor()
    expect(await sam.locator('[data-zendesk-refusal=not_admin]').textContent()).toContain('Only admins of this Zendesk account can sign in to PSA Link')
    await sam.screenshot({ path: `${SHOTS}/03-agent-refused.png` })
    expect(await accountExists('globex')).toBe(false)

    // globex's admin onboards it next, on the same backend; each sees only itself.
    const gus = await person()
    await signInWithZendesk(gus, 'globex', gusUser.id)
    await gus.getByRole('heading', { name: 'Home' }).waitFor()
    await expect.poll(() => accountNav(gus).textContent()).toContain('globex · gus@globex.test')
    for (const [page, own, other] of [
      [gus, 'gus@globex.test', 'ada@acme.test'],
      [ada, 'ada@acme.test', 'gus@globex.test'],
    ] as const) {
      await page.goto(`${stack.origin}/admin/#/users`)
      await page.getByRole('heading', { name: 'Admin logins' }).waitFor()
      await expect.poll(() => page.locator('main').textContent()).toContain(own)
      expect(await page.locator('main').textContent()).not.toContain(other)
    }
    await ada.goto(`${stack.origin}/admin/#/connections`)
    await ada.getByText('No Autotask connection yet.').waitFor()
    expect(await ada.locator('main').textContent()).not.toContain('Sandbox Autotask')

    // globex leaves: the account page, the typed confirmation, and its data is gone.
    await gus.goto(`${stack.origin}/admin/#/account`)
    await gus.getByRole('heading', { name: 'Remove this account from PSA Link' }).waitFor()
    await gus.getByLabel('Type globex to confirm').fill('acme')
    await gus.getByRole('button', { name: 'Remove globex and delete its data' }).click()
    await gus.locator('[data-field-error=confirm]').waitFor()
    await gus.screenshot({ path: `${SHOTS}/04-remove-account.png`, fullPage: true })
    expect(await accountExists('globex')).toBe(true)
    const globexToken = (await stack.app.tenants.findAccountBySubdomain('globex'))!.oauth.accessToken!
    expect(globex.state().oauth.userForAccessToken(globexToken)).toBe(gusUser.id)
    await gus.getByLabel('Type globex to confirm').fill('globex')
    await gus.getByRole('button', { name: 'Remove globex and delete its data' }).click()
    await gus.getByRole('button', { name: 'Continue with Zendesk' }).waitFor()
    expect(await accountExists('globex')).toBe(false)
    expect(globex.state().oauth.userForAccessToken(globexToken)).toBeNull()

    // acme is untouched and still signed in.
    await ada.reload()
    await expect.poll(() => accountNav(ada).textContent()).toContain('acme · ')
    expect(await accountExists('acme')).toBe(true)
  })

  it('walks a new account’s setup checklist in the console to its first synced ticket', async () => {
    const acmeId = Number((await stack.database.pool.query<{ id: string }>("SELECT id FROM zendesk_accounts WHERE subdomain = 'acme'")).rows[0]!.id)
    // Zendesk: the Cluster ID field (acme has one already), the app's shared secret, the webhook.
    await ada.goto(`${stack.origin}/admin/#/zendesk`)
    await ada.locator(`select[name=fieldId] option[value="${acme.clusterIdFieldId}"]`).waitFor({ state: 'attached' })
    await ada.selectOption('select[name=fieldId]', String(acme.clusterIdFieldId))
    await ada.getByRole('button', { name: 'Use this field' }).click()
    await ada.getByText('Cluster ID field saved.').waitFor()
    await ada.getByRole('button', { name: 'Generate shared secret' }).click()
    await ada.getByRole('button', { name: 'Generate it' }).click()
    await ada.locator('[data-testid=app-secret]').waitFor()
    await ada.getByRole('button', { name: 'Register webhook' }).click()
    await ada.getByText(/Registered \(id /).waitFor()
    await ada.screenshot({ path: `${SHOTS}/05-acme-zendesk-steps.png`, fullPage: true })

    // Autotask: a connection tested against the emulator, and its mappings.
    await ada.goto(`${stack.origin}/admin/#/connections`)
    await ada.getByRole('button', { name: 'Add connection' }).click()
    await ada.fill('input[name=name]', 'Acme Autotask')
    await ada.fill('input[name=zoneUrl]', `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`)
    await ada.fill('input[name=apiUsername]', 'api@demo.test')
    await ada.fill('input[name=secret]', 'sandbox-secret')
    await ada.fill('input[name=integrationCode]', 'SANDBOX0INTEGRATION0CODE0001')
    await ada.getByRole('button', { name: 'Test and add' }).click()
    await ada.getByRole('heading', { name: 'Mappings' }).waitFor()
    await ada.selectOption('select[name=queueId]', { index: 1 })
    await ada.getByRole('button', { name: 'Save mappings' }).click()
    await ada.getByText('Mappings checked against the live picklists and saved.').waitFor()

    // A customer opens a ticket; the first cycle (the scheduler's, run here at once) links it.
    const ticket = acme.createTicket({
      subject: 'Acme lab is down',
      comment: { htmlBody: '<p>Nothing boots.</p>', public: true },
      requesterId: acme.requester().id,
      clusterId: 'CL-1001',
    })
    const { syncContexts: engine } = stack.app
    const context = await engine.forAccount(acmeId)
    // Recorded as the scheduler's worker records it, so the checklist sees a finished cycle.
    const runId = await context.store.startRun({ accountId: acmeId, connectionId: null, kind: 'cycle', trigger: 'test' })
    const { requests } = await engine.measure(() => runCycle(context, { intervalSeconds: 300 }))
    await context.store.finishRun(runId, { status: 'succeeded', counts: context.counts, apiUsage: { ...requests }, error: null })
    // A webhook job for the new ticket may hold it while the cycle runs (the cycle then leaves it
    // pending for that job): wait for whichever finishes it.
    const linkState = async () =>
      (
        await stack.database.pool.query<{ state: string }>('SELECT state FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2', [
          acmeId,
          ticket.id,
        ])
      ).rows
    await expect.poll(linkState, { timeout: 30_000, interval: 250 }).toEqual([{ state: 'linked' }])
    await ada.goto(`${stack.origin}/admin/#/home`)
    await ada
      .getByText('Setup — complete', { exact: false })
      .or(ada.getByText(/First sync done/))
      .first()
      .waitFor()
    await ada.screenshot({ path: `${SHOTS}/06-acme-first-sync.png`, fullPage: true })
    expect(await ada.locator('main').textContent()).toMatch(/First sync done — done/)
  })

  it('shows an admin the set-up link and an agent whom to ask in the sidebar when the backend refuses it', async () => {
    // The demo account without its app secret: the backend refuses the preview's sidebar as it
    // refuses one of an account it does not know (the preview still signs with the sandbox's secret).
    await stack.database.pool.query('UPDATE zendesk_accounts SET app_shared_secret_enc = NULL WHERE id = $1', [stack.accountId])
    const page = await person()
    await page.setViewportSize({ width: 1280, height: 900 })
    for (const as of ['admin', 'agent'] as const) {
      await page.goto(`${stack.origin}/sandbox/agent?ticket=1${as === 'admin' ? '&as=admin' : ''}`)
      const frame = page.frameLocator('#app-frame')
      await frame.locator(`[data-not-set-up=${as}]`).waitFor({ timeout: 20_000 })
      if (as === 'admin') {
        const link = frame.getByRole('link', { name: /Set up PSA Link for demo/ })
        expect(await link.getAttribute('href')).toBe(`${stack.origin}/admin/#/sign-in?zendesk=demo`)
      } else {
        expect(await frame.locator('[data-not-set-up=agent]').textContent()).toContain('ask a Zendesk admin')
      }
      await page.waitForFunction(() => {
        const host = (window as unknown as { __zafHost: { resizes: string[] } }).__zafHost
        return host.resizes.length > 0 && document.getElementById('app-frame')!.style.height === host.resizes[host.resizes.length - 1]
      })
      await page.locator('#app-frame').screenshot({ path: `${SHOTS}/00-sidebar-not-set-up-${as}.png` })
    }
  })
})
