import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { openTicket, startScenario } from '../helpers/scenario'
import { cycle, linkOf } from '../helpers/sync-driver'
import type { TestStack } from '../helpers/test-stack'
import { ARTIFACTS, launchChromium, REPO_ROOT } from './preview-harness'

// The built sidebar app in the agent-workspace preview, against the real backend and emulators, in
// a 320 px sidebar: what an agent sees, end to end.
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
const syncResult = () => app().getByTestId('sync-result')
const setPaused = (paused: boolean) =>
  stack.database.pool.query('UPDATE autotask_connections SET paused = $1 WHERE zendesk_account_id = $2', [paused, stack.accountId])

async function open(ticketId: number, query = ''): Promise<void> {
  await page.goto(`${stack.origin}/sandbox/agent?ticket=${ticketId}${query}`)
  await app().locator('[data-state]').waitFor({ timeout: 20_000 })
}

it('runs in a 320 px sidebar and shows a linked ticket’s Autotask number, link and status', async () => {
  const link = await linkOf(stack, 1)
  await open(1)
  expect(Math.round((await page.locator('#app-frame').boundingBox())!.width)).toBe(320)
  const anchor = app().getByRole('link', { name: new RegExp(`Open Autotask ticket ${link!.autotask_ticket_number.replace('.', '\\.')}`) })
  await anchor.waitFor({ timeout: 20_000 })
  expect(await anchor.getAttribute('href')).toContain(`ticketId=${link!.autotask_ticket_id}`)
  expect(await app().getByRole('region', { name: 'Linked Autotask ticket' }).getByText('New', { exact: true }).count()).toBe(1)
  // Zendesk's sidebar text size, not the browser's 16 px.
  expect(
    await app()
      .locator('main')
      .evaluate((element) => getComputedStyle(element).fontSize),
  ).toBe('14px')
  await page.screenshot({ path: `${ARTIFACTS}/e2e-linked.png`, fullPage: true })
})

describe('Sync now says what the state is afterwards', () => {
  it('says "Up to date" with when it checked when the ticket is linked', async () => {
    await open(1)
    await app().getByRole('button', { name: 'Sync now' }).click()
    await expect.poll(() => syncResult().textContent(), { timeout: 15_000 }).toMatch(/^Up to date · checked (just now|\d+ sec\. ago)$/)
  })

  it('says it failed, when it retries and what Autotask said when Autotask is down', async () => {
    await open(2)
    stack.sandbox.autotask.setFaults({ outage: true })
    try {
      await app().getByRole('button', { name: 'Sync now' }).click()
      await expect.poll(() => syncResult().textContent(), { timeout: 20_000 }).toMatch(/^Failed – retrying at \d{1,2}:\d{2}\s?[AP]M/)
      await app().getByRole('region', { name: 'The last sync failed' }).waitFor()
    } finally {
      stack.sandbox.autotask.resetFaults()
    }
    await app().getByRole('button', { name: 'Sync now' }).click()
    await expect.poll(() => syncResult().textContent(), { timeout: 20_000 }).toMatch(/^Up to date/)
  })

  it('says "Paused by an admin" and offers no more Sync now when the connection was paused meanwhile', async () => {
    await open(6)
    await setPaused(true)
    try {
      await app().getByRole('button', { name: 'Sync now' }).click()
      await expect.poll(() => syncResult().textContent(), { timeout: 15_000 }).toBe('Paused by an admin')
      await app().getByRole('region', { name: 'Sync paused by an admin' }).waitFor()
      expect(await app().getByRole('button', { name: 'Sync now' }).count()).toBe(0)
      // Focus went to the result, not back to the page.
      expect(await app().locator(':focus').getAttribute('data-testid')).toBe('sync-result')
    } finally {
      await setPaused(false)
    }
  })

  it('says the Cluster ID is still not in Autotask when the ticket is unrouted', async () => {
    await open(3)
    await app().getByRole('region', { name: 'Cluster ID CL-7777 is not in Autotask' }).waitFor()
    await app().getByRole('button', { name: 'Check Autotask again' }).click()
    await expect.poll(() => syncResult().textContent(), { timeout: 15_000 }).toMatch(/^Cluster ID CL-7777 is still not in Autotask · checked/)
  })
})

it('shows a note a technician just added in Autotask when Sync now is clicked', async () => {
  const link = await linkOf(stack, 2)
  await open(2)
  // Written by a technician resource in Autotask, not by PSA Link's API user.
  stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { title: 'Onsite', description: 'Replaced the controller board.', publish: 1 })
  // No cycle runs in this scenario (the test drives them): only Sync now can bring the note in.
  expect(await app().getByText('Replaced the controller board.').count()).toBe(0)
  const clicked = Date.now()
  await app().getByRole('button', { name: 'Sync now' }).click()
  // The timeout only bounds a hang on a loaded machine; the latency is npm run bench's (sidebar-latency).
  await expect.poll(() => app().getByText('Replaced the controller board.').count(), { timeout: 30_000 }).toBeGreaterThan(0)
  console.info(`sidebar end to end: the technician's note showed ${Date.now() - clicked} ms after Sync now`)
  expect(stack.sandbox.zendesk.ticket(2)!.comments.some((comment) => comment.body.includes('Replaced the controller board.'))).toBe(true)
  await page.screenshot({ path: `${ARTIFACTS}/e2e-sync-now.png`, fullPage: true })
})

it('leads to "linked" without a reload when a Cluster ID is set and the ticket saved', async () => {
  const ticket = openTicket(stack, { clusterId: null, subject: 'Rack C power supply' })
  await open(ticket.id)
  await app().getByRole('region', { name: 'No Cluster ID' }).waitFor({ timeout: 20_000 })
  await page.locator('#cluster-id').fill('CL-1001')
  await app().getByText('Cluster ID changed to CL-1001 – submit the ticket to link it.').waitFor()
  await page.locator('#submit-ticket').click()
  await app().getByRole('region', { name: 'Linked Autotask ticket' }).waitFor({ timeout: 20_000 })
  const link = await linkOf(stack, ticket.id)
  await expect.poll(() => syncResult().textContent(), { timeout: 15_000 }).toBe(`Linked to ${link!.autotask_ticket_number}`)
})

it('renders German with no English left when the agent’s locale is de', async () => {
  const en = JSON.parse(readFileSync(`${REPO_ROOT}zendesk-app/translations/en.json`, 'utf8')) as { ui: Record<string, unknown> }
  const de = JSON.parse(readFileSync(`${REPO_ROOT}zendesk-app/translations/de.json`, 'utf8')) as { ui: Record<string, unknown> }
  const leaves = (node: unknown, path = ''): [string, string][] =>
    typeof node === 'string'
      ? [[path, node]]
      : Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, path ? `${path}.${key}` : key))
  const german = new Map(leaves(de.ui))
  // Every English fragment (between placeholders) of a string that German words differently.
  const english = leaves(en.ui)
    .filter(([key, text]) => german.get(key) !== text)
    .flatMap(([, text]) => text.split(/\{\{\w+\}\}/))
    .map((fragment) => fragment.trim())
    .filter((fragment) => fragment.length >= 4)

  for (const [ticketId, words] of [
    [1, 'Neueste Notizen'],
    [3, 'Cluster-ID CL-7777 ist nicht in Autotask'],
    [5, 'Keine Cluster-ID'],
    [7, 'Nicht an Autotask gesendet'],
  ] as const) {
    await open(ticketId, '&locale=de')
    await app().getByText(words).first().waitFor({ timeout: 20_000 })
    expect(await app().locator('html').getAttribute('lang')).toBe('de')
    // The sidebar's own words: the notes' texts are what people wrote, in whatever language.
    const text = await app()
      .locator('main')
      .evaluate((element) => {
        const copy = element.cloneNode(true) as HTMLElement
        for (const note of copy.querySelectorAll('[data-note-text]')) note.remove()
        document.body.appendChild(copy)
        const visible = copy.innerText
        copy.remove()
        return [visible, ...[...element.querySelectorAll('[aria-label], title')].map((node) => node.getAttribute('aria-label') ?? node.textContent)].join('\n')
      })
    const left = english.filter((fragment) => text.includes(fragment))
    expect(left, `ticket ${ticketId}`).toEqual([])
  }
})

it('links a ticket by hand and unlinks it, each confirmed and audited, as a Zendesk admin', async () => {
  const donor = await linkOf(stack, 6)
  await open(6, '&as=admin')
  await app().getByRole('button', { name: 'Unlink from Autotask…' }).click()
  await app().getByRole('button', { name: 'Yes, unlink' }).click()
  await app().getByRole('region', { name: 'No longer synced' }).waitFor({ timeout: 15_000 })
  await app().getByText('Unlinked. Nothing more is synced.').waitFor()

  await open(4, '&as=admin')
  await app()
    .getByRole('region', { name: /^Cluster ID CL-1005 matches \d installed products$/ })
    .waitFor()
  await app().getByRole('button', { name: 'Link to an Autotask ticket…' }).click()
  await app().getByLabel('Autotask ticket number').fill(donor!.autotask_ticket_number)
  await app().getByRole('button', { name: 'Link', exact: true }).click()
  await app().getByText(`Link this Zendesk ticket to Autotask ticket ${donor!.autotask_ticket_number}?`, { exact: false }).waitFor()
  await app().getByRole('button', { name: 'Yes, link it' }).click()
  await app().getByRole('region', { name: 'Linked Autotask ticket' }).waitFor({ timeout: 15_000 })

  const { rows } = await stack.database.pool.query("SELECT action, details FROM audit_log WHERE action LIKE 'sidebar.%' ORDER BY id")
  expect(rows.map((row) => [row.action, row.details.zendeskTicketId, row.details.autotaskTicketNumber])).toEqual([
    ['sidebar.ticket_unlinked', 6, donor!.autotask_ticket_number],
    ['sidebar.ticket_linked', 4, donor!.autotask_ticket_number],
  ])
})

it('offers an agent no link by hand when only admins may link', async () => {
  await open(3)
  await app().getByRole('region', { name: 'Cluster ID CL-7777 is not in Autotask' }).waitFor()
  expect(
    await app()
      .getByRole('button', { name: /Link to an Autotask ticket/ })
      .count(),
  ).toBe(0)
})
