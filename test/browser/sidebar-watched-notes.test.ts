import type { Browser, Page } from 'playwright-core'
import { addAutotaskNoteAs, autotaskResourceIdByEmail } from '../helpers/acting-for-people'
import { startScenario } from '../helpers/scenario'
import { cycle, linkOf } from '../helpers/sync-driver'
import type { TestStack } from '../helpers/test-stack'
import { ARTIFACTS, launchChromium } from './preview-harness'

// Issue 15: a note a technician adds in Autotask appears in an open sidebar within 70 s without
// any click. The backend runs its schedule with production's watched-notes scan (every 30 s) and
// the sidebar its production re-read (every 20 s while visible); the next cycle is a day away, so
// only the watched-tickets scan can bring the note in.
let stack: TestStack
let browser: Browser
let page: Page

beforeAll(async () => {
  stack = await startScenario({ schedule: true, env: { SYNC_INTERVAL_SECONDS: '86400' } })
  await cycle(stack)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

const app = () => page.frameLocator('#app-frame')

it('shows a note a technician adds in Autotask within 70 s without any click when the sidebar is open at 320 px', async () => {
  const link = await linkOf(stack, 2)
  expect(link?.state).toBe('linked')
  await page.goto(`${stack.origin}/sandbox/agent?ticket=2`)
  await app().locator('[data-state]').waitFor({ timeout: 20_000 })
  expect(Math.round((await page.locator('#app-frame').boundingBox())!.width)).toBe(320)
  await app().getByRole('region', { name: 'Linked Autotask ticket' }).waitFor({ timeout: 20_000 })

  // A technician resource writes the note through Autotask's API (impersonated), not PSA Link's API user.
  const restBase = `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
  const technicianId = await autotaskResourceIdByEmail(restBase, 'tara.nguyen@demo.test')
  await addAutotaskNoteAs(restBase, {
    ticketId: link!.autotask_ticket_id,
    resourceId: technicianId,
    title: 'Onsite',
    description: 'Swapped the backplane; no click needed to see this.',
  })

  // No click from here on: the sidebar must bring the note itself.
  await app().getByText('Swapped the backplane; no click needed to see this.').first().waitFor({ timeout: 70_000 })
  expect(stack.sandbox.zendesk.ticket(2)!.comments.some((comment) => comment.body.includes('Swapped the backplane'))).toBe(true)
  await page.screenshot({ path: `${ARTIFACTS}/e2e-watched-note.png`, fullPage: true })
})
