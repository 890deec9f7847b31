import type { TicketStateResponse } from '@psa-link/shared'
import { act, configure, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../zendesk-app/src/app/App'
import type { ZafRequestOptions } from '../../zendesk-app/src/lib/zaf'
import { FakeZafClient, makeTicketState, syncAnswer } from './fake-zaf-client'
import type { FakeAnswer, FakeZafOptions } from './fake-zaf-client'

const FAST_POLL = { syncPollIntervalMs: 5, syncPollLimit: 3 }
// The machine is shared: the first render (Garden, styled-components) can take over a second.
configure({ asyncUtilTimeout: 5_000 })

function backendAnswering(ticket: TicketStateResponse, extra: (request: ZafRequestOptions, url: URL) => FakeAnswer | null = () => null) {
  return (request: ZafRequestOptions, url: URL): FakeAnswer => {
    const answer = extra(request, url)
    if (answer) return answer
    if (request.type === 'GET' && url.pathname === `/api/v1/tickets/${ticket.zendeskTicketId}`) return { ok: ticket }
    return { fail: { status: 404, responseText: '{"message":"Not found"}' } }
  }
}

function renderSidebar(options: FakeZafOptions, extra: Record<string, number> = {}) {
  const client = new FakeZafClient(options)
  render(<App client={client} options={{ ...FAST_POLL, ...extra }} />)
  return client
}

async function linkedCard() {
  return screen.findByRole('region', { name: 'Linked Autotask ticket' })
}

const none = { autotask: null, notes: { items: [], nextCursor: null } }
const clock = (iso: string) => new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date(iso))

/** The "What to do" line of the state message. */
function todoOf(region: HTMLElement): string {
  return within(region).getByText('What to do:').parentElement!.textContent ?? ''
}

describe('ticket sidebar states', () => {
  const cases: [string, TicketStateResponse, string, RegExp][] = [
    ['pending', makeTicketState({ state: 'pending', ...none }), 'Linking to Autotask…', /Nothing – this updates by itself/],
    ['unrouted', makeTicketState({ state: 'unrouted', clusterId: 'X-17', ...none }), 'Cluster ID X-17 is not in Autotask', /You: check the Cluster ID for typos.*an Autotask admin/],
    ['no Cluster ID', makeTicketState({ state: 'not_eligible', reason: 'no_cluster_id', clusterId: null, ...none }), 'No Cluster ID', /You: set the Cluster ID field and submit the ticket/],
    [
      'closed when eligible',
      makeTicketState({ state: 'not_eligible', reason: 'closed_when_eligible', clusterId: 'CL-1001', ...none }),
      'Not sent to Autotask: the ticket was already closed',
      /create a follow-up ticket/,
    ],
    ['no ready connection', makeTicketState({ state: 'not_eligible', reason: 'no_ready_connection', ...none }), 'Autotask cannot be reached', /A Zendesk admin checks the Autotask connection/],
    ['not configured', makeTicketState({ state: 'not_eligible', reason: 'not_configured', clusterId: null, ...none }), 'PSA Link is not set up yet', /A Zendesk admin finishes the set-up/],
    ['paused', makeTicketState({ state: 'paused', reason: 'connection_paused' }), 'Sync paused by an admin', /Ask a Zendesk admin if the pause should end/],
    ['throttled', makeTicketState({ state: 'throttled', waitingNotes: 4 }), "Waiting for Zendesk's update limit", /as soon as Zendesk allows/],
    ['broken', makeTicketState({ state: 'broken' }), 'Autotask ticket not found', /A Zendesk admin links this ticket to the right Autotask ticket from this sidebar/],
    ['closed', makeTicketState({ state: 'closed', reason: 'deleted' }), 'No longer synced', /^What to do: Nothing\.$/],
  ]

  it.each(cases)('gives the %s state its own title and one "What to do" line naming who acts', async (_name, ticket, title, todo) => {
    renderSidebar({ route: backendAnswering(ticket) })
    const region = await screen.findByRole('region', { name: title })
    expect(within(region).getAllByText('What to do:')).toHaveLength(1)
    expect(todoOf(region)).toMatch(todo)
    expect(document.querySelector(`[data-state="${ticket.state}"]`)).not.toBeNull()
  })

  it('never titles a ticket that has a Cluster ID "No Cluster ID"', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'not_eligible', reason: 'closed_when_eligible', clusterId: 'CL-1001', ...none })) })
    const region = await screen.findByRole('region', { name: /already closed/ })
    expect(within(region).getByText(/when it got Cluster ID CL-1001/)).toBeInTheDocument()
    expect(screen.queryByText(/No Cluster ID|has no Cluster ID/)).toBeNull()
  })

  it('promises no relink screen when the Autotask ticket is gone and linking by hand is off', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'broken', manualLinkPolicy: 'off' })) })
    const region = await screen.findByRole('region', { name: 'Autotask ticket not found' })
    expect(todoOf(region)).toMatch(/Linking by hand is turned off/)
    expect(screen.queryByText(/can relink/)).toBeNull()
    expect(screen.queryByRole('button', { name: /Link to an Autotask ticket/ })).toBeNull()
  })

  it('shows the linked card with number, link, status, priority, account, queue, due date and last synced when linked', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState()) })
    const card = await linkedCard()
    const link = within(card).getByRole('link', { name: /Open Autotask ticket T20261128\.0042 in a new tab/ })
    expect(link).toHaveAttribute('href', 'https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=9001')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'))
    expect(within(card).getByText('New')).toBeInTheDocument()
    expect(within(card).getByText('High')).toBeInTheDocument()
    expect(within(card).getByText('Contoso Ltd')).toBeInTheDocument()
    expect(within(card).getByText('Level I Support')).toBeInTheDocument()
    expect(within(card).getByText(/Dec 1, 2026/)).toBeInTheDocument()
    expect(within(card).getByText('5 minutes ago')).toBeInTheDocument()
    expect(screen.queryByRole('region', { name: /Not synced|paused|failed|No Cluster ID/ })).toBeNull()
  })

  it('names the accounts, not ids, and who acts when the Cluster ID is ambiguous', async () => {
    const ticket = makeTicketState({
      state: 'ambiguous',
      clusterId: 'CL-2',
      candidates: [
        { connectionName: 'North', installedProductId: 11, autotaskAccountId: 101, accountName: 'Contoso Ltd' },
        { connectionName: 'South', installedProductId: 12, autotaskAccountId: 102, accountName: 'Fabrikam Inc' },
      ],
      ...none,
    })
    renderSidebar({ route: backendAnswering(ticket) })
    const region = await screen.findByRole('region', { name: 'Cluster ID CL-2 matches 2 installed products' })
    expect(within(region).getByText('Contoso Ltd (North)')).toBeInTheDocument()
    expect(within(region).getByText('Fabrikam Inc (South)')).toBeInTheDocument()
    expect(region.textContent).not.toMatch(/\b(11|12|101|102)\b/)
    expect(todoOf(region)).toMatch(/^What to do: An Autotask admin keeps the reference number CL-2 on one installed product only\.$/)
    expect(region.textContent).not.toMatch(/an admin must resolve/)
  })

  it('shows what Autotask said and when it is retried when the state is error', async () => {
    const retryAt = new Date(Date.now() + 10 * 60_000 + 5_000).toISOString()
    const ticket = makeTicketState({
      state: 'error',
      problems: [{ code: 'AUTOTASK_REJECTED', message: 'Autotask refused the note', remoteMessage: 'Value for field Title exceeds 250 characters', attempts: 3, nextRetryAt: retryAt }],
    })
    renderSidebar({ route: backendAnswering(ticket) })
    const region = await screen.findByRole('region', { name: 'The last sync failed' })
    expect(within(region).getByText('Autotask said: Value for field Title exceeds 250 characters')).toBeInTheDocument()
    expect(within(region).getByText(`PSA Link tries again at ${clock(retryAt)}.`)).toBeInTheDocument()
    expect(todoOf(region)).toMatch(/it retries by itself/)
  })

  it('says there is one note waiting when exactly one is throttled', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'throttled', waitingNotes: 1 })) })
    expect(await screen.findByText(/^1 note is waiting/)).toBeInTheDocument()
  })

  it.each([
    ['closed', makeTicketState({ state: 'closed' })],
    ['paused', makeTicketState({ state: 'paused', reason: 'connection_paused' })],
    ['not eligible', makeTicketState({ state: 'not_eligible', reason: 'no_cluster_id', clusterId: null, ...none })],
    ['broken', makeTicketState({ state: 'broken' })],
  ])('offers no Sync now when the ticket is %s, where a sync cannot help', async (_name, ticket) => {
    renderSidebar({ route: backendAnswering(ticket) })
    await screen.findByText('What to do:')
    expect(screen.queryByRole('button', { name: /Sync now|Check Autotask again/ })).toBeNull()
  })

  it('offers to check Autotask again instead of Sync now when the Cluster ID is unrouted', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'unrouted', clusterId: 'X-17', ...none })) })
    expect(await screen.findByRole('button', { name: 'Check Autotask again' })).toBeInTheDocument()
  })
})

describe('ticket sidebar data and requests', () => {
  it('shows a loading skeleton until the backend answers', async () => {
    let answer: (value: unknown) => void = () => undefined
    const pending = new Promise<unknown>((resolve) => {
      answer = resolve
    })
    renderSidebar({ route: () => ({ pending }) })
    const skeleton = await screen.findByRole('status', { name: 'Loading the Autotask ticket…' })
    expect(skeleton).toHaveAttribute('aria-busy', 'true')
    await act(async () => answer(makeTicketState()))
    await linkedCard()
    expect(screen.queryByRole('status', { name: 'Loading the Autotask ticket…' })).toBeNull()
  })

  it('asks through the secure proxy with the JWT claims the backend checks when loading', async () => {
    const client = renderSidebar({ route: backendAnswering(makeTicketState()), subdomain: 'acme', userId: 77, ticketId: 4242 })
    await linkedCard()
    const request = client.requests[0]
    expect(request).toBeDefined()
    expect(request?.url).toBe('https://psa-link.example.test/api/v1/tickets/4242')
    expect(request?.type).toBe('GET')
    expect(request?.secure).toBe(true)
    expect(request?.headers).toEqual({ Authorization: 'Bearer {{jwt.token}}' })
    expect(request?.jwt?.algorithm).toBe('HS256')
    expect(request?.jwt?.secret_key).toBe('{{setting.shared_secret}}')
    const claims = request?.jwt?.claims ?? {}
    expect(claims).toMatchObject({ iss: 'acme', aud: 'psa-link', ticket_id: 4242, user_id: 77 })
    const now = Math.floor(Date.now() / 1000)
    expect(Number(claims['exp'])).toBeGreaterThan(now)
    expect(Number(claims['exp'])).toBeLessThanOrEqual(now + 300)
    expect(request?.jwt?.expiry).toBeLessThanOrEqual(300)
  })

  it('marks origin and visibility with labelled icons instead of two tags on every note', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState()) })
    const notes = await screen.findByRole('region', { name: 'Latest notes' })
    const items = within(notes).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(within(items[0]!).getByText('Tess Technician')).toBeInTheDocument()
    expect(within(items[0]!).getByRole('img', { name: 'Public' })).toBeInTheDocument()
    expect(within(items[0]!).getByRole('img', { name: 'From Autotask' })).toBeInTheDocument()
    expect(within(items[0]!).getByText('1 hour ago')).toBeInTheDocument()
    expect(within(items[1]!).getByRole('img', { name: 'Internal' })).toBeInTheDocument()
    expect(within(items[1]!).getByRole('img', { name: 'From Zendesk' })).toBeInTheDocument()
    expect(within(items[1]!).getByText('Not mirrored')).toBeInTheDocument()
    expect(within(items[0]!).queryByText('Not mirrored')).toBeNull()
    // One tag in all: the skipped note's; origin and visibility are icons now.
    expect([...notes.querySelectorAll('[data-garden-id="tags.tag_view"]')].map((tag) => tag.textContent)).toEqual(['Not mirrored'])
  })

  it('ends a cut note with an ellipsis and expands it, pointing to Autotask for the rest', async () => {
    const long = 'The controller board was replaced and the array rebuilt overnight; all disks report healthy. '.repeat(6).trim()
    const ticket = makeTicketState()
    ticket.notes.items = [{ ...ticket.notes.items[0]!, text: long, truncated: true }]
    renderSidebar({ route: backendAnswering(ticket) })
    const notes = await screen.findByRole('region', { name: 'Latest notes' })
    expect(within(notes).getByText((text) => text.startsWith('The controller board') && text.endsWith('…'))).toBeInTheDocument()
    const expand = within(notes).getByRole('button', { name: 'Show all' })
    expect(expand).toHaveAttribute('aria-expanded', 'false')
    await userEvent.click(expand)
    expect(within(notes).getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true')
    expect(within(notes).getByText(/read all of it in Autotask/)).toBeInTheDocument()
    expect(within(notes).getByRole('link', { name: /Open in Autotask/ })).toHaveAttribute('href', ticket.autotask!.url)
  })

  it('pages older notes with the cursor when Show more is clicked and moves focus to the first one it brought', async () => {
    const first = makeTicketState()
    first.notes.nextCursor = 'cursor-2'
    const older = makeTicketState({
      notes: {
        items: [{ id: 'at:400', origin: 'autotask', author: 'Old Timer', createdAt: '2026-01-01T10:00:00Z', public: true, title: null, text: 'Ticket created.', truncated: false, state: 'synced' }],
        nextCursor: null,
      },
    })
    const client = renderSidebar({
      route: backendAnswering(first, (_request, url) => (url.searchParams.get('notesCursor') === 'cursor-2' ? { ok: older } : null)),
    })
    const button = await screen.findByRole('button', { name: 'Show more notes' })
    expect(button).not.toBeDisabled()
    await userEvent.click(button)
    expect(await screen.findByText('Old Timer')).toBeInTheDocument()
    const items = within(screen.getByRole('region', { name: 'Latest notes' })).getAllByRole('listitem')
    expect(items).toHaveLength(3)
    expect(client.requests.at(-1)?.url).toBe('https://psa-link.example.test/api/v1/tickets/4242?notesCursor=cursor-2')
    expect(screen.queryByRole('button', { name: 'Show more notes' })).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(items[2]))
  })

  it('says the backend cannot be reached and retries on request when the proxy fails', async () => {
    let reachable = false
    const client = renderSidebar({
      route: (request, url) => (reachable ? backendAnswering(makeTicketState())(request, url) : { fail: { status: 0, statusText: 'error' } }),
    })
    expect(await screen.findByText('PSA Link cannot be reached')).toBeInTheDocument()
    reachable = true
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await linkedCard()
    expect(screen.queryByText('PSA Link cannot be reached')).toBeNull()
    expect(client.requests).toHaveLength(2)
  })

  it('says the shared secret is wrong when the backend answers 401', async () => {
    renderSidebar({ route: () => ({ fail: { status: 401, responseText: '{"message":"Bad token"}' } }) })
    expect(await screen.findByText('PSA Link refused the request')).toBeInTheDocument()
  })

  it('asks for a backend URL when the setting is empty', async () => {
    const client = renderSidebar({ settings: { backend_url: '' }, route: backendAnswering(makeTicketState()) })
    expect(await screen.findByText(/The app has no backend URL/)).toBeInTheDocument()
    expect(client.requests).toHaveLength(0)
  })

  it('says it runs inside Zendesk when opened outside it', () => {
    render(<App client={null} />)
    expect(screen.getByText(/runs inside Zendesk's ticket sidebar/)).toBeInTheDocument()
  })

  it('resizes the iframe to its content when it renders', async () => {
    const client = renderSidebar({ route: backendAnswering(makeTicketState()) })
    await linkedCard()
    await waitFor(() => expect(client.invocations.some((call) => call.name === 'resize')).toBe(true))
    const resize = client.invocations.find((call) => call.name === 'resize')
    expect(resize?.args[0]).toEqual({ width: '100%', height: expect.stringMatching(/^\d+px$/) })
  })
})

describe('ticket sidebar stays current', () => {
  it.each(['ticket.saved', 'ticket.submit.done'])('reloads the state when Zendesk fires %s', async (event) => {
    let ticket = makeTicketState({ state: 'not_eligible', reason: 'no_cluster_id', clusterId: null, ...none })
    const client = renderSidebar({ route: (request, url) => backendAnswering(ticket)(request, url) })
    await screen.findByRole('region', { name: 'No Cluster ID' })
    ticket = makeTicketState()
    act(() => client.emit(event))
    await linkedCard()
    expect(client.requests).toHaveLength(2)
  })

  it('says the Cluster ID changed when the agent edits the field, before the ticket is saved', async () => {
    const client = renderSidebar({
      settings: { backend_url: 'https://psa-link.example.test', cluster_id_field_id: '360001' },
      route: backendAnswering(makeTicketState({ state: 'unrouted', clusterId: 'X-1', ...none })),
    })
    await screen.findByRole('region', { name: 'Cluster ID X-1 is not in Autotask' })
    expect(client.subscribed('ticket.custom_field_360001.changed')).toBe(true)
    client.fields.set('ticket.customField:custom_field_360001', 'CL-1006')
    act(() => client.emit('ticket.custom_field_360001.changed', 'CL-1006'))
    expect(await screen.findByText('Cluster ID changed to CL-1006 – submit the ticket to link it.')).toBeInTheDocument()
  })

  it('says "linking…" and follows the sync to "Linked to" when a save changed the Cluster ID', async () => {
    let ticket = makeTicketState({ state: 'not_eligible', reason: 'no_cluster_id', clusterId: null, ...none })
    let release: (value: unknown) => void = () => undefined
    const client = renderSidebar({
      settings: { backend_url: 'https://psa-link.example.test', cluster_id_field_id: '360001' },
      route: (request, url) =>
        request.type === 'POST' && url.pathname.endsWith('/sync')
          ? {
              pending: new Promise((resolve) => {
                release = resolve
              }),
            }
          : backendAnswering(ticket)(request, url),
    })
    await screen.findByRole('region', { name: 'No Cluster ID' })
    client.fields.set('ticket.customField:custom_field_360001', 'CL-1006')
    act(() => client.emit('ticket.saved'))
    const live = await screen.findByText('Cluster ID changed to CL-1006 – linking…')
    expect(live).toHaveAttribute('role', 'status')
    ticket = makeTicketState({ clusterId: 'CL-1006' })
    await act(async () => release(syncAnswer('done', ticket)))
    expect(live).toHaveTextContent('Linked to T20261128.0042')
    await linkedCard()
  })

  it('re-reads the state every few seconds while the ticket is pending, until it is linked', async () => {
    let reads = 0
    const client = renderSidebar(
      {
        route: (request, url) => {
          reads += 1
          return backendAnswering(reads < 3 ? makeTicketState({ state: 'pending', syncing: true, ...none }) : makeTicketState())(request, url)
        },
      },
      { busyRefreshMs: 20, idleRefreshMs: 60_000 },
    )
    await screen.findByRole('region', { name: 'Linking to Autotask…' })
    await linkedCard()
    const settledReads = client.requests.length
    expect(settledReads).toBe(3)
  })

  it('shows a note that arrived meanwhile without a reload when it re-reads while visible', async () => {
    let ticket = makeTicketState()
    renderSidebar({ route: (request, url) => backendAnswering(ticket)(request, url) }, { idleRefreshMs: 30 })
    await linkedCard()
    ticket = makeTicketState()
    ticket.notes.items = [{ id: 'at:777', origin: 'autotask', author: 'Tess Technician', createdAt: new Date().toISOString(), public: false, title: null, text: 'Rebooted node 3.', truncated: false, state: 'synced' }, ...ticket.notes.items]
    expect(await screen.findByText('Rebooted node 3.')).toBeInTheDocument()
  })

  it('ticks relative times while the sidebar stays open', async () => {
    const ticket = makeTicketState({ lastSyncedAt: new Date(Date.now() - 2 * 60_000 - 40_000).toISOString() })
    renderSidebar({ route: backendAnswering(ticket) }, { clockTickMs: 20 })
    const card = await linkedCard()
    expect(within(card).getByText('3 minutes ago')).toBeInTheDocument()
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 60_000)
      expect(await within(card).findByText('4 minutes ago')).toBeInTheDocument()
    } finally {
      vi.useRealTimers()
    }
  })

  it('reads the state once when one save fires both save events', async () => {
    const client = renderSidebar({ route: backendAnswering(makeTicketState()) })
    client.fields.set('ticket.customField:custom_field_360001', 'CL-1001')
    await linkedCard()
    vi.useFakeTimers()
    try {
      act(() => {
        client.emit('ticket.submit.done')
        client.emit('ticket.saved')
      })
      expect(client.requests).toHaveLength(1)
      await act(async () => {
        await vi.advanceTimersByTimeAsync(5_000)
      })
      expect(client.requests).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('listens to no custom field when the Cluster ID field is not configured', async () => {
    const client = renderSidebar({ settings: { backend_url: 'https://psa-link.example.test' }, route: backendAnswering(makeTicketState()) })
    await linkedCard()
    expect(client.subscribed('ticket.saved')).toBe(true)
    expect(client.subscribed('ticket.custom_field_360001.changed')).toBe(false)
  })
})

describe('Sync now', () => {
  it('shows progress, then "Up to date · checked just now" and the new state when the backend answers done', async () => {
    let release: (value: unknown) => void = () => undefined
    const synced = makeTicketState({ checkedAt: new Date().toISOString(), autotask: { ...makeTicketState().autotask!, status: { id: 8, label: 'In Progress' } } })
    const client = renderSidebar({
      route: backendAnswering(makeTicketState(), (request) =>
        request.type === 'POST'
          ? {
              pending: new Promise((resolve) => {
                release = resolve
              }),
            }
          : null,
      ),
    })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    const live = screen.getByTestId('sync-result')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toHaveAttribute('aria-live', 'polite')
    expect(live).toHaveTextContent('Syncing with Autotask…')
    // Busy, but still in the tab order: aria-disabled, never disabled.
    expect(screen.getByRole('button', { name: 'Sync now' })).toHaveAttribute('aria-disabled', 'true')
    expect(screen.getByRole('button', { name: 'Sync now' })).not.toBeDisabled()
    await act(async () => release(syncAnswer('done', synced)))
    expect(live).toHaveTextContent('Up to date · checked just now')
    expect(within(await linkedCard()).getByText('In Progress')).toBeInTheDocument()
    const post = client.requests.find((request) => request.type === 'POST')
    expect(post?.url).toBe('https://psa-link.example.test/api/v1/tickets/4242/sync')
    expect(post?.secure).toBe(true)
  })

  it('says how long ago it checked, in seconds, when the last check was a moment ago', async () => {
    const checked = makeTicketState({ checkedAt: new Date(Date.now() - 12_000).toISOString() })
    renderSidebar({ route: backendAnswering(makeTicketState(), (request) => (request.type === 'POST' ? { ok: syncAnswer('done', checked) } : null)) })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    await waitFor(() => expect(screen.getByTestId('sync-result')).toHaveTextContent(/^Up to date · checked 1[2-3] sec\. ago$/))
  })

  const after: [string, TicketStateResponse, TicketStateResponse, RegExp][] = (() => {
    const retryAt = new Date(Date.now() + 7 * 60_000).toISOString()
    return [
      [
        'failed',
        makeTicketState(),
        makeTicketState({ state: 'error', problems: [{ code: 'x', message: 'Sync failed', remoteMessage: 'Ticket is locked', attempts: 2, nextRetryAt: retryAt }] }),
        new RegExp(`^Failed – retrying at ${clock(retryAt)} \\(Autotask: Ticket is locked\\)$`),
      ],
      [
        'failed, retried from the dirty list',
        makeTicketState(),
        makeTicketState({ state: 'error', problems: [], nextAttemptAt: retryAt }),
        new RegExp(`^Failed – retrying at ${clock(retryAt)}$`),
      ],
      ['failed with no retry', makeTicketState(), makeTicketState({ state: 'error', problems: [{ code: 'x', message: 'Refused', remoteMessage: null, attempts: 5, nextRetryAt: null }] }), /^Failed – no automatic retry$/],
      ['paused', makeTicketState(), makeTicketState({ state: 'paused', reason: 'connection_paused' }), /^Paused by an admin$/],
      ['unrouted', makeTicketState({ state: 'unrouted', clusterId: 'X-17', ...none }), makeTicketState({ state: 'unrouted', clusterId: 'X-17', checkedAt: new Date().toISOString(), ...none }), /^Cluster ID X-17 is still not in Autotask · checked (just now|\d+ sec\. ago)$/],
      ['newly linked', makeTicketState({ state: 'pending', ...none }), makeTicketState(), /^Linked to T20261128\.0042$/],
      ['throttled', makeTicketState(), makeTicketState({ state: 'throttled', waitingNotes: 3 }), /^Up to date · 3 notes wait for Zendesk's limit$/],
    ]
  })()

  it.each(after)('says what the state is after the sync when it ends %s, never "synced"', async (_name, before, result, words) => {
    renderSidebar({ route: backendAnswering(before, (request) => (request.type === 'POST' ? { ok: syncAnswer('done', result) } : null)) }, { busyRefreshMs: 60_000 })
    const button = await screen.findByRole('button', { name: /Sync now|Check Autotask again/ })
    await userEvent.click(button)
    await waitFor(() => expect(screen.getByTestId('sync-result')).toHaveTextContent(words))
    expect(screen.getByTestId('sync-result').textContent).not.toMatch(/Synced with Autotask/)
  })

  it('moves focus to the result when the ticket turns out paused and Sync now goes away', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState(), (request) => (request.type === 'POST' ? { ok: syncAnswer('done', makeTicketState({ state: 'paused', reason: 'connection_paused' })) } : null)) })
    await linkedCard()
    const user = userEvent.setup()
    const button = screen.getByRole('button', { name: 'Sync now' })
    button.focus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull())
    expect(document.activeElement).toBe(screen.getByTestId('sync-result'))
  })

  it('polls the job until it is done when the backend answers queued', async () => {
    const synced = makeTicketState({ autotask: { ...makeTicketState().autotask!, status: { id: 5, label: 'Complete' } } })
    let polls = 0
    const client = renderSidebar({
      route: backendAnswering(makeTicketState(), (request, url) => {
        if (request.type === 'POST') return { ok: syncAnswer('queued', makeTicketState(), 'job-9') }
        if (url.pathname === '/api/v1/jobs/job-9') {
          polls += 1
          return { ok: polls < 2 ? syncAnswer('queued', makeTicketState(), 'job-9') : syncAnswer('done', synced, 'job-9') }
        }
        return null
      }),
    })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    await waitFor(() => expect(screen.getByTestId('sync-result')).toHaveTextContent(/^Up to date · checked/))
    expect(within(await linkedCard()).getByText('Complete')).toBeInTheDocument()
    expect(polls).toBe(2)
    expect(client.requests.filter((request) => request.url.endsWith('/api/v1/jobs/job-9'))).toHaveLength(2)
  })

  it('says the sync is still running when the job stays queued past the poll limit', async () => {
    const running = makeTicketState({ syncing: true })
    renderSidebar({
      route: backendAnswering(running, (request, url) => (request.type === 'POST' || url.pathname.startsWith('/api/v1/jobs/') ? { ok: syncAnswer('queued', running, 'job-slow') } : null)),
    }, { busyRefreshMs: 60_000 })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText(/^Still syncing – this updates when it finishes\.$/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sync now' })).toHaveAttribute('aria-disabled', 'false')
  })

  it('says Sync now did not reach PSA Link when the request fails', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState(), (request) => (request.type === 'POST' ? { fail: { status: 502, responseText: 'Bad gateway' } } : null)) })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText('Sync now did not reach PSA Link. Try again.')).toBeInTheDocument()
  })

  it('runs from the keyboard and keeps focus on the button when the agent tabs to it and presses Enter or Space', async () => {
    let posts = 0
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request) => {
        if (request.type !== 'POST') return null
        posts += 1
        return { ok: syncAnswer('done', makeTicketState({ checkedAt: new Date().toISOString() })) }
      }),
    })
    await linkedCard()
    const user = userEvent.setup()
    const button = screen.getByRole('button', { name: 'Sync now' })
    while (document.activeElement !== button) {
      await user.tab()
      if (document.activeElement === document.body) throw new Error('Sync now is not reachable with Tab')
    }
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.getByTestId('sync-result')).toHaveTextContent(/^Up to date/))
    expect(document.activeElement).toBe(button)
    await user.keyboard(' ')
    await waitFor(() => expect(posts).toBe(2))
    expect(document.activeElement).toBe(button)
  })
})
