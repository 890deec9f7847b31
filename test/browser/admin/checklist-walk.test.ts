import type { Browser, Page } from 'playwright-core'
import { createAdmin } from '../../integration/admin/admin-client'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { ARTIFACTS, launchChromium } from '../preview-harness'
import { seriousViolations, signIn, waitFor } from './walk-helpers'

// Issue 16's second walk: the home page's setup checklist on a fresh account, step by step. The
// sandbox's demo account is emptied first (no Zendesk credentials, fields, secret, webhook or
// Autotask connection): the emulated Zendesk and Autotask then play a new customer's accounts.

let stack: TestStack
let browser: Browser
let page: Page

const STEPS = ['zendesk', 'clusterField', 'linkFields', 'appSecret', 'webhook', 'autotask', 'mappings', 'firstSync']

/** The checklist as the home page shows it: the keys of the steps still to do. */
async function stepsToDo(): Promise<string[]> {
  await page.goto(`${stack.origin}/admin/#/home`)
  // Read afresh: going to the page the browser is on already would keep what it showed.
  await page.reload()
  await page.locator('[data-step=firstSync]').waitFor()
  return page.locator('[data-step][data-done=false]').evaluateAll((items) => items.map((item) => item.getAttribute('data-step') ?? ''))
}

beforeAll(async () => {
  // The console is built by the browser tests' global setup.
  stack = await startTestStack()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1100, height: 800 }, bypassCSP: true })
  page.on('dialog', (dialog) => void dialog.accept())
  await signIn(page, stack.origin, await createAdmin(stack))
  // A fresh account: the Autotask connection removed the way an admin does, the Zendesk side emptied.
  await page.goto(`${stack.origin}/admin/#/connections`)
  await page.locator('[data-connection="Sandbox Autotask"]').getByRole('button', { name: 'Remove' }).click()
  await page.getByText('No Autotask connection yet.').waitFor()
  await stack.database.pool.query(
    `UPDATE zendesk_accounts SET oauth_access_token_enc = NULL, oauth_refresh_token_enc = NULL, oauth_client_id = NULL, oauth_client_secret_enc = NULL,
            api_email = NULL, api_token_enc = NULL, cluster_id_field_id = NULL, app_shared_secret_enc = NULL, webhook_id = NULL, webhook_secret_enc = NULL,
            autotask_number_field_id = NULL, autotask_status_field_id = NULL
      WHERE id = $1`,
    [stack.accountId],
  )
  await stack.database.pool.query('DELETE FROM sync_runs WHERE zendesk_account_id = $1', [stack.accountId])
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

describe('the setup checklist of a fresh account, walked in Chromium', () => {
  it('shows every step to do, with a link each, before anything is set up', async () => {
    expect(await stepsToDo()).toEqual(STEPS)
    expect(await page.locator('[data-step=zendesk] a').getAttribute('href')).toBe('#/zendesk')
    expect(await seriousViolations(page)).toEqual([])
  })

  it('ticks off the Zendesk steps one by one as they are done on the Zendesk page', async () => {
    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: /Connect with OAuth/ }).click()
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.getByText('Zendesk connected').first().waitFor()
    expect(await stepsToDo()).toEqual(STEPS.slice(1))

    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: 'Create field' }).click()
    await page.getByText('Cluster ID field created.').waitFor()
    expect(await stepsToDo()).toEqual(STEPS.slice(2))

    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: 'Create the fields in Zendesk' }).click()
    await page.getByText('The Autotask ticket fields were created in Zendesk.').waitFor()
    expect(await page.locator('[data-testid=link-fields]').textContent()).toMatch(/The fields exist in Zendesk/)
    await page.locator('[data-testid=link-fields]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/admin-zendesk-visibility.png` })
    expect(await seriousViolations(page)).toEqual([])
    expect(await stepsToDo()).toEqual(STEPS.slice(3))

    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: 'Generate shared secret' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Generate it' }).click()
    await page.locator('[data-testid=app-secret]').waitFor()
    expect(await stepsToDo()).toEqual(STEPS.slice(4))

    await page.goto(`${stack.origin}/admin/#/zendesk`)
    await page.getByRole('button', { name: 'Register webhook' }).click()
    await page.getByRole('button', { name: 'Register again' }).waitFor()
    expect(await stepsToDo()).toEqual(STEPS.slice(5))
  })

  it('ticks off the Autotask steps and the first sync when a connection is added, mapped and a cycle runs', async () => {
    await page.goto(`${stack.origin}/admin/#/connections`)
    await page.getByRole('button', { name: 'Add connection' }).click()
    await page.fill('input[name=name]', 'Acme Autotask')
    await page.fill('input[name=zoneUrl]', `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`)
    await page.fill('input[name=apiUsername]', 'api@demo.test')
    await page.fill('input[name=secret]', 'sandbox-secret')
    await page.fill('input[name=integrationCode]', 'SANDBOX0INTEGRATION0CODE0001')
    await page.getByRole('button', { name: 'Test and add' }).click()
    await page.getByRole('heading', { name: 'Mappings' }).waitFor()
    await page.selectOption('select[name=queueId]', { index: 1 })
    await page.getByRole('button', { name: 'Save mappings' }).click()
    await page.getByText('Mappings checked against the live picklists and saved.').waitFor()
    expect(await stepsToDo()).toEqual(['firstSync'])

    await stack.app.cycleScheduler.requestNow()
    await waitFor(
      async () =>
        (
          await stack.database.pool.query(`SELECT 1 FROM sync_runs WHERE zendesk_account_id = $1 AND kind = 'cycle' AND status = 'succeeded'`, [
            stack.accountId,
          ])
        ).rowCount! > 0,
      'a finished cycle',
    )
    expect(await stepsToDo()).toEqual([])
    expect(await seriousViolations(page)).toEqual([])
  })
})
