import type { Browser, Page } from 'playwright-core'
import { startScenario } from '../helpers/scenario'
import { cycle, linkOf } from '../helpers/sync-driver'
import type { TestStack } from '../helpers/test-stack'
import { ARTIFACTS, launchChromium } from './preview-harness'

// The built sidebar app in the agent-workspace preview, against the real backend and emulators:
// what an agent sees, end to end (issue 7's "Done when").
let stack: TestStack
let browser: Browser
let page: Page

beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterEach(async () => {
  await page.close()
})

const app = () => page.frameLocator('#app-frame')

it('shows a linked ticket’s Autotask number, link and status', async () => {
  const link = await linkOf(stack, 1)
  await page.goto(`${stack.origin}/sandbox/agent?ticket=1`)
  const anchor = app().getByRole('link', { name: new RegExp(`Open Autotask ticket ${link!.autotask_ticket_number.replace('.', '\\.')}`) })
  await anchor.waitFor({ timeout: 20_000 })
  expect(await anchor.getAttribute('href')).toContain(`ticketId=${link!.autotask_ticket_id}`)
  expect(await app().getByRole('region', { name: 'Linked Autotask ticket' }).getByText('New', { exact: true }).count()).toBe(1)
  await page.screenshot({ path: `${ARTIFACTS}/e2e-linked.png`, fullPage: true })
})

it('brings in a note just added in the Autotask emulator when Sync now is clicked', async () => {
  const link = await linkOf(stack, 2)
  await page.goto(`${stack.origin}/sandbox/agent?ticket=2`)
  await app().getByRole('button', { name: 'Sync now' }).waitFor({ timeout: 20_000 })
  stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { title: 'Onsite', description: 'Replaced the controller board.' })
  // The last sync is recent: make it older than 30 s so Sync now really syncs.
  await stack.database.pool.query("UPDATE ticket_sync_state SET last_attempt_at = now() - interval '1 minute' WHERE zendesk_ticket_id = 2")
  await app().getByRole('button', { name: 'Sync now' }).click()
  await app().getByText('Replaced the controller board.').first().waitFor({ timeout: 20_000 })
  expect(stack.sandbox.zendesk.ticket(2)!.comments.some((comment) => comment.body.includes('Replaced the controller board.'))).toBe(true)
  await page.screenshot({ path: `${ARTIFACTS}/e2e-sync-now.png`, fullPage: true })
})

it('says why an unrouted ticket is not synced', async () => {
  await page.goto(`${stack.origin}/sandbox/agent?ticket=3`)
  await app().getByText('Cluster ID CL-7777 is not registered in Autotask.').waitFor({ timeout: 20_000 })
  await page.screenshot({ path: `${ARTIFACTS}/e2e-unrouted.png`, fullPage: true })
})
