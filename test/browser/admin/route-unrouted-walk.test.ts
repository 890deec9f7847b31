import type { Browser, Page } from 'playwright-core'
import { createAdmin } from '../../integration/admin/admin-client'
import { openTicket } from '../../helpers/scenario'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { ARTIFACTS, launchChromium } from '../preview-harness'
import { seriousViolations, signIn, waitFor } from './walk-helpers'

// Issue 16's third walk: tickets whose Cluster ID matches nothing in Autotask wait in the
// needs-action inbox; the admin routes that Cluster ID to an Autotask account from there, and the
// waiting tickets link within a minute (and show their Autotask ticket in Zendesk).

let stack: TestStack
let browser: Browser
let page: Page

const linkOf = async (ticketId: number) =>
  (
    await stack.database.pool.query<{ autotask_ticket_id: string | null; state: string }>(
      'SELECT autotask_ticket_id, state FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2',
      [stack.accountId, ticketId],
    )
  ).rows[0]

beforeAll(async () => {
  // The console is built by the browser tests' global setup.
  stack = await startTestStack()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1100, height: 800 }, bypassCSP: true })
  await signIn(page, stack.origin, await createAdmin(stack))
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

describe('an unrouted Cluster ID, walked in Chromium', () => {
  it('routes it from the needs-action inbox and links its waiting tickets within a minute', async () => {
    const tickets = [
      openTicket(stack, { subject: 'Rack 7 offline', clusterId: 'CL-4711' }),
      openTicket(stack, { subject: 'Rack 7 fans loud', clusterId: 'cl-4711 ' }),
    ]
    const { rows } = await stack.database.pool.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM sync_runs WHERE kind = 'cycle'`)
    await stack.app.cycleScheduler.requestNow()
    await waitFor(
      async () =>
        (await stack.database.pool.query(`SELECT 1 FROM sync_runs WHERE kind = 'cycle' AND id > $1 AND status <> 'running'`, [rows[0]!.id])).rowCount! > 0,
      'a finished cycle',
    )
    for (const ticket of tickets) expect(await linkOf(ticket.id)).toBeUndefined()

    await page.goto(`${stack.origin}/admin/#/needs-action`)
    const group = page.locator('[data-cluster-id="cl-4711"]')
    await group.waitFor()
    expect(await group.locator('h2').textContent()).toMatch(/Cluster ID cl-4711 matches nothing in Autotask/)
    expect(await group.textContent()).toMatch(/2 ticket/)
    expect(await seriousViolations(page)).toEqual([])

    // Routing without an account says what is missing; the account is then found by its name.
    await group.getByRole('button', { name: 'Route cl-4711' }).click()
    await group.getByRole('alert').filter({ hasText: 'Enter the Autotask account the tickets belong to.' }).waitFor()
    await group.locator('input[name="account-cl-4711-search"]').fill('N')
    await group.getByRole('button', { name: 'Find accounts' }).click()
    await group.locator('[data-field-error="account-cl-4711-search"]').filter({ hasText: '2 to 100 characters' }).waitFor()
    await group.locator('input[name="account-cl-4711-search"]').fill('nobody by this name')
    await group.getByRole('button', { name: 'Find accounts' }).click()
    await group.getByRole('status').filter({ hasText: 'No active Autotask account’s name contains' }).waitFor()

    const account = [...stack.sandbox.autotask.database().records.Account.values()].find((candidate) => candidate.fields.AccountName === 'Northwind Traders')!
    await group.locator('input[name="account-cl-4711-search"]').fill('northwind')
    await group.getByRole('button', { name: 'Find accounts' }).click()
    const picked = group.locator('select[name="account-cl-4711"]')
    await picked.waitFor()
    expect(await picked.locator('option').allTextContents()).toEqual([`Northwind Traders (${account.id})`])
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: `${ARTIFACTS}/admin-route-by-name.png` })
    const routedAt = Date.now()
    await group.getByRole('button', { name: 'Route cl-4711' }).click()
    await page.getByRole('status').filter({ hasText: 'syncing now' }).waitFor()
    await waitFor(
      async () => {
        const links = await Promise.all(tickets.map((ticket) => linkOf(ticket.id)))
        return links.every((link) => link?.state === 'linked' && link.autotask_ticket_id !== null)
      },
      'both waiting tickets to link',
      60_000,
    )
    expect(Date.now() - routedAt).toBeLessThan(60_000)
    for (const ticket of tickets) {
      const autotask = stack.sandbox.autotask.getTicket(Number((await linkOf(ticket.id))!.autotask_ticket_id))
      expect(autotask?.fields.AccountID).toBe(account.id)
      await waitFor(async () => stack.sandbox.zendesk.ticket(ticket.id)!.tags.includes('psa_link_linked'), `ticket ${ticket.id} tagged in Zendesk`)
    }

    await page.reload()
    await page.getByRole('heading', { name: 'Routes set here' }).waitFor()
    expect(await page.locator('[data-cluster-id="cl-4711"]').count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
  })
})
