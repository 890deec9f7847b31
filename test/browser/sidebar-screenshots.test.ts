import { mkdirSync, statSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { openTicket, startScenario } from '../helpers/scenario'
import { cycle, linkOf } from '../helpers/sync-driver'
import type { TestStack } from '../helpers/test-stack'
import { launchChromium, REPO_ROOT } from './preview-harness'

// The README's screenshots: the real app in the preview, against the real backend and emulators,
// one PNG per state and colour scheme, 320 px wide (the sidebar itself).
const SHOTS = `${REPO_ROOT}zendesk-app/docs/screenshots`
let stack: TestStack
let browser: Browser
let page: Page

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  stack = await startScenario()
  await cycle(stack)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

const syncNow = (ticketId: number) => stack.app.ticketSync.request(stack.accountId, ticketId, 'test').then((job) => stack.app.ticketSync.wait(job, 20_000))

async function shoot(name: string, ticketId: number, title: string | RegExp, query = ''): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.goto(`${stack.origin}/sandbox/agent?ticket=${ticketId}&colorScheme=${scheme}${query}`)
    const frame = page.frameLocator('#app-frame')
    await frame.getByText(title).first().waitFor({ timeout: 20_000 })
    await frame.locator(`[data-color-scheme="${scheme}"]`).waitFor()
    // The iframe has grown to its content once the host has answered the last resize.
    await page.waitForFunction(() => {
      const host = (window as unknown as { __zafHost: { resizes: string[] } }).__zafHost
      return host.resizes.length > 0 && document.getElementById('app-frame')!.style.height === host.resizes[host.resizes.length - 1]
    })
    // Dark mode is Garden's dark palette on a dark page, not a light sidebar in a dark Zendesk.
    const [red, green, blue] = (await frame.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor)).match(/\d+/g)!.map(Number)
    expect((red! + green! + blue!) / 3, `${name} ${scheme} background`)[scheme === 'dark' ? 'toBeLessThan' : 'toBeGreaterThan'](128)
    const path = `${SHOTS}/${name}-${scheme}.png`
    await page.locator('#app-frame').screenshot({ path })
    expect(statSync(path).size).toBeLessThan(120_000)
  }
}

it('captures each state of the sidebar in light and dark mode when opened in the preview', async () => {
  await shoot('linked', 1, 'Latest notes')
  await shoot('linked-de', 1, 'Neueste Notizen', '&locale=de')
  await shoot('unrouted', 3, 'Cluster ID CL-7777 is not in Autotask')
  await shoot('ambiguous', 4, /^Cluster ID CL-1005 matches \d installed products$/)
  await shoot('no-cluster-id', 5, 'No Cluster ID')
  await shoot('closed-when-eligible', 7, 'Not sent to Autotask: the ticket was already closed')

  stack.sandbox.autotask.setFaults({ outage: true })
  await syncNow(2)
  stack.sandbox.autotask.resetFaults()
  await shoot('error', 2, 'The last sync failed')

  const gone = openTicket(stack, { clusterId: 'CL-1002', subject: 'UPS alarm in rack D' })
  await cycle(stack)
  stack.sandbox.autotask.deleteTicket((await linkOf(stack, gone.id))!.autotask_ticket_id)
  await syncNow(gone.id)
  await shoot('broken', gone.id, 'Autotask ticket not found', '&as=admin')

  await stack.database.pool.query('UPDATE autotask_connections SET paused = true WHERE zendesk_account_id = $1', [stack.accountId])
  await shoot('paused', 6, 'Sync paused by an admin')
})
