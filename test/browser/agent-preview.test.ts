import type { TicketStateResponse } from '@psa-link/shared'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import type { PreviewInstallation, PreviewTicket } from '../../server/sandbox/src/agent'
import { makeTicketState } from '../app/fake-zaf-client'
import { ARTIFACTS, buildApp, launchChromium, startPreview, startTestBackend } from './preview-harness'
import type { TestBackend } from './preview-harness'

const SECRET = 'preview-shared-secret-0123456789abcdef'
const CLUSTER_FIELD = 360001
const noNotes = { items: [], nextCursor: null }

/** One Zendesk ticket per observable state, and the words the sidebar must show for it. */
const STATES: { id: number; state: TicketStateResponse; expect: RegExp }[] = [
  { id: 101, state: makeTicketState({ zendeskTicketId: 101 }), expect: /T20261128\.0042/ },
  { id: 102, state: makeTicketState({ zendeskTicketId: 102, state: 'pending', autotask: null, notes: noNotes }), expect: /Linking to Autotask…/ },
  {
    id: 103,
    state: makeTicketState({
      zendeskTicketId: 103,
      state: 'unrouted',
      autotask: null,
      clusterId: 'X-17',
      notes: noNotes,
      message: 'Cluster ID X-17 is not registered in Autotask',
    }),
    expect: /Cluster ID X-17 is not in Autotask/,
  },
  {
    id: 104,
    state: makeTicketState({
      zendeskTicketId: 104,
      state: 'ambiguous',
      autotask: null,
      notes: noNotes,
      candidates: [
        { connectionName: 'North', installedProductId: 11, autotaskAccountId: 101, accountName: 'Contoso Ltd' },
        { connectionName: 'South', installedProductId: 12, autotaskAccountId: 102, accountName: 'Fabrikam Inc' },
      ],
    }),
    expect: /Cluster ID CL-1001 matches 2 installed products/,
  },
  {
    id: 105,
    state: makeTicketState({ zendeskTicketId: 105, state: 'not_eligible', reason: 'no_cluster_id', autotask: null, clusterId: null, notes: noNotes }),
    expect: /No Cluster ID/,
  },
  {
    id: 106,
    state: makeTicketState({
      zendeskTicketId: 106,
      state: 'error',
      problems: [
        {
          code: 'AUTOTASK_TIMEOUT',
          message: 'Autotask did not answer',
          remoteMessage: null,
          attempts: 2,
          nextRetryAt: new Date(Date.now() + 15 * 60_000).toISOString(),
        },
      ],
    }),
    expect: /The last sync failed/,
  },
  { id: 107, state: makeTicketState({ zendeskTicketId: 107, state: 'paused', reason: 'connection_paused' }), expect: /Sync paused by an admin/ },
  { id: 108, state: makeTicketState({ zendeskTicketId: 108, state: 'throttled', waitingNotes: 3 }), expect: /3 notes are waiting/ },
  { id: 109, state: makeTicketState({ zendeskTicketId: 109, state: 'broken' }), expect: /Autotask ticket not found/ },
  { id: 110, state: makeTicketState({ zendeskTicketId: 110, state: 'closed' }), expect: /No longer synced/ },
]

function previewTicket(id: number, clusterId: string | null): PreviewTicket {
  return {
    id,
    subject: `Printer offline (ticket ${id})`,
    status: 'open',
    priority: 'high',
    requesterName: 'Rita Requester',
    clusterId,
    comments: [
      {
        author: 'Rita Requester',
        // Ticket 102 carries markup that must be shown as text, never run.
        html: `<p>The printer on floor 2 is <b>offline</b>.</p>${id === 102 ? '<script>window.__ran = true</script><img src=x onerror="window.__ran = true">' : ''}`,
        public: true,
        createdAt: '2026-11-28T09:00:00Z',
      },
      { author: 'Agent Smith', html: '<p>Checked the cabling.</p>', public: false, createdAt: '2026-11-28T09:30:00Z' },
    ],
  }
}

describe('agent-workspace preview hosting the built app in Chromium', () => {
  let browser: Browser
  let backend: TestBackend
  let preview: { app: FastifyInstance; url: string }
  let installation: PreviewInstallation
  const submitted: { id: number; clusterId: string | null }[] = []
  let page: Page

  beforeAll(async () => {
    buildApp()
    backend = await startTestBackend(SECRET, 'acme')
    for (const { id, state } of STATES) backend.tickets.set(id, state)
    installation = { subdomain: 'acme', sharedSecret: SECRET, backendUrl: backend.url, clusterIdFieldId: CLUSTER_FIELD }
    const tickets = new Map(STATES.map(({ id, state }) => [id, previewTicket(id, state.clusterId)]))
    preview = await startPreview(installation, tickets, submitted)
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await preview?.app.close()
    await backend?.app.close()
  })

  beforeEach(async () => {
    installation.sharedSecret = SECRET
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  })

  afterEach(async () => {
    await page.close()
  })

  const app = () => page.frameLocator('#app-frame')

  it('shows every observable state inside the preview and saves a screenshot of each when opened', async () => {
    for (const { id, state, expect: words } of STATES) {
      await page.goto(`${preview.url}/sandbox/agent?ticket=${id}`)
      await app().getByText(words).first().waitFor({ timeout: 15_000 })
      // The sidebar asked to be as tall as its content, and the host resized the iframe.
      await page.waitForFunction(() => (window as unknown as { __zafHost: { resizes: string[] } }).__zafHost.resizes.length > 0)
      await page.screenshot({ path: `${ARTIFACTS}/preview-${state.state}.png`, fullPage: true })
      expect(await app().locator(`[data-state="${state.state}"]`).count()).toBe(1)
    }
    const heights = await page.locator('#app-frame').evaluate((frame) => (frame as HTMLIFrameElement).style.height)
    expect(heights).not.toBe('')
    expect(heights).not.toBe('120px')
  })

  it('shows the Autotask number, link and status of a linked ticket, fetched with a JWT signed by the proxy', async () => {
    backend.claims.length = 0
    await page.goto(`${preview.url}/sandbox/agent?ticket=101`)
    const link = app().getByRole('link', { name: /Open Autotask ticket T20261128\.0042/ })
    await link.waitFor()
    expect(await link.getAttribute('href')).toBe('https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=9001')
    expect(await app().getByRole('region', { name: 'Linked Autotask ticket' }).getByText('New', { exact: true }).count()).toBe(1)
    const claims = backend.claims[0]
    expect(claims).toMatchObject({ iss: 'acme', aud: 'psa-link', ticket_id: 101, user_id: 1001 })
    expect(claims!.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300)
  })

  it('drops scripts and event handlers and keeps the formatting when a comment carries them', async () => {
    await page.goto(`${preview.url}/sandbox/agent?ticket=102`)
    await page.locator('main.conversation').getByText('The printer on floor 2 is', { exact: false }).waitFor()
    expect(await page.locator('main.conversation').innerText()).not.toContain('window.__ran')
    expect(await page.locator('main.conversation script, main.conversation img').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined()
    expect(await page.locator('main.conversation b').first().textContent()).toBe('offline')
  })

  it('brings in a note just added in Autotask when Sync now is clicked', async () => {
    const synced = makeTicketState({ zendeskTicketId: 101 })
    synced.checkedAt = new Date().toISOString()
    synced.notes.items.unshift({
      id: 'at:777',
      origin: 'autotask',
      author: 'Tess Technician',
      createdAt: new Date().toISOString(),
      public: true,
      title: null,
      text: 'Note just added in Autotask',
      truncated: false,
      state: 'synced',
    })
    let syncs = 0
    backend.syncAnswers.set(101, () => {
      syncs += 1
      return { status: 'done', jobId: null, ticket: synced }
    })
    try {
      await page.goto(`${preview.url}/sandbox/agent?ticket=101`)
      await app().locator('[data-state="linked"]').waitFor()
      // Before the click the note is not there: it is Sync now that brings it in.
      expect(await app().getByText('Note just added in Autotask').count()).toBe(0)
      await app().getByRole('button', { name: 'Sync now' }).click()
      await expect.poll(() => app().getByTestId('sync-result').textContent(), { timeout: 15_000 }).toMatch(/^Up to date · checked (just now|\d+ sec\. ago)$/)
      await expect.poll(() => app().getByText('Note just added in Autotask').count(), { timeout: 15_000 }).toBe(1)
      expect(syncs).toBe(1)
      await page.screenshot({ path: `${ARTIFACTS}/preview-sync-now-done.png`, fullPage: true })
    } finally {
      backend.syncAnswers.delete(101)
    }
  })

  it('says the Cluster ID changed, then syncs and shows the link when the agent changes it and submits the ticket', async () => {
    await page.goto(`${preview.url}/sandbox/agent?ticket=105`)
    await app().getByRole('region', { name: 'No Cluster ID' }).waitFor()
    await page.locator('#cluster-id').fill('CL-1001')
    await app().getByText('Cluster ID changed to CL-1001 – submit the ticket to link it.').waitFor()
    backend.tickets.set(105, makeTicketState({ zendeskTicketId: 105, clusterId: 'CL-1001' }))
    await page.locator('#submit-ticket').click()
    await page.getByText('Ticket updated').waitFor()
    await app().getByRole('region', { name: 'Linked Autotask ticket' }).waitFor()
    await app().getByText('Linked to T20261128.0042').waitFor()
    expect(submitted).toContainEqual({ id: 105, clusterId: 'CL-1001' })
  })

  it('captures 1024x768 marketplace screenshots of the linked, unrouted and error states', async () => {
    await page.setViewportSize({ width: 1024, height: 768 })
    const shots: [number, RegExp][] = [
      [101, /T20261128\.0042/],
      [103, /Cluster ID X-17 is not in Autotask/],
      [106, /The last sync failed/],
    ]
    for (const [index, [id, words]] of shots.entries()) {
      await page.goto(`${preview.url}/sandbox/agent?ticket=${id}`)
      await app().getByText(words).first().waitFor()
      await page.waitForFunction(() => (window as unknown as { __zafHost: { resizes: string[] } }).__zafHost.resizes.length > 0)
      const shot = await page.screenshot({ path: `${ARTIFACTS}/marketplace/screenshot-${index}.png` })
      // The marketplace takes PNGs of at most 500 KB.
      expect(shot.length).toBeLessThan(500_000)
    }
  })

  it('says the backend refused the request when the installation has the wrong shared secret', async () => {
    installation.sharedSecret = 'not-the-secret'
    backend.claims.length = 0
    const reads = backend.ticketReads.length
    await page.goto(`${preview.url}/sandbox/agent?ticket=101`)
    await expect.poll(() => app().getByText('PSA Link refused the request').count(), { timeout: 15_000 }).toBe(1)
    // An agent is told whom to ask (an admin gets the console's onboarding link: sidebar-not-set-up.test.tsx).
    expect(await app().getByText("PSA Link is not set up yet (or the app's shared secret does not match); ask a Zendesk admin.").count()).toBe(1)
    // The agent sees no ticket state, and the backend accepted no token and served no read.
    expect(await app().locator('[data-state]').count()).toBe(0)
    expect(backend.claims).toEqual([])
    expect(backend.ticketReads.length).toBe(reads)
    await page.screenshot({ path: `${ARTIFACTS}/preview-unauthorized.png`, fullPage: true })
  })

  it('shows the unreachable view when the backend is down', async () => {
    installation.backendUrl = 'http://127.0.0.1:9'
    try {
      const reads = backend.ticketReads.length
      await page.goto(`${preview.url}/sandbox/agent?ticket=101`)
      await expect.poll(() => app().getByText('PSA Link cannot be reached').count(), { timeout: 15_000 }).toBe(1)
      expect(await app().getByText('The backend did not answer.', { exact: false }).count()).toBe(1)
      expect(await app().getByRole('button', { name: 'Try again' }).count()).toBe(1)
      expect(await app().locator('[data-state]').count()).toBe(0)
      expect(backend.ticketReads.length).toBe(reads)
      await page.screenshot({ path: `${ARTIFACTS}/preview-unreachable.png`, fullPage: true })
    } finally {
      installation.backendUrl = backend.url
    }
  })
})
