import type { TicketStateResponse } from '@psa-link/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../zendesk-app/src/app/App'
import type { ZafRequestOptions } from '../../zendesk-app/src/lib/zaf'
import { FakeZafClient, makeTicketState, syncAnswer } from './fake-zaf-client'
import type { FakeAnswer, FakeZafOptions } from './fake-zaf-client'

const FAST_POLL = { syncPollIntervalMs: 5, syncPollLimit: 3 }

function backendAnswering(ticket: TicketStateResponse, extra: (request: ZafRequestOptions, url: URL) => FakeAnswer | null = () => null) {
  return (request: ZafRequestOptions, url: URL): FakeAnswer => {
    const answer = extra(request, url)
    if (answer) return answer
    if (request.type === 'GET' && url.pathname === `/api/v1/tickets/${ticket.zendeskTicketId}`) return { ok: ticket }
    return { fail: { status: 404, responseText: '{"message":"Not found"}' } }
  }
}

function renderSidebar(options: FakeZafOptions) {
  const client = new FakeZafClient(options)
  render(<App client={client} options={FAST_POLL} />)
  return client
}

async function linkedCard() {
  return screen.findByRole('region', { name: 'Linked Autotask ticket' })
}

describe('ticket sidebar states', () => {
  const cases: [TicketStateResponse, RegExp][] = [
    [makeTicketState({ state: 'pending', autotask: null, notes: { items: [], nextCursor: null } }), /will be linked to Autotask at the next sync/],
    [makeTicketState({ state: 'unrouted', autotask: null, clusterId: 'X-17', notes: { items: [], nextCursor: null } }), /Cluster ID X-17, so this ticket is not synced/],
    [makeTicketState({ state: 'not_eligible', autotask: null, clusterId: null, notes: { items: [], nextCursor: null } }), /has no Cluster ID/],
    [makeTicketState({ state: 'paused' }), /paused the Autotask connection Contoso Autotask/],
    [makeTicketState({ state: 'throttled', waitingNotes: 4 }), /4 notes are waiting/],
    [makeTicketState({ state: 'broken' }), /was deleted or cannot be found/],
    [makeTicketState({ state: 'closed' }), /its link to Autotask was closed/],
  ]

  it.each(cases.map(([ticket, words]) => [ticket.state, ticket, words] as const))('shows the %s message when the backend reports that state', async (_state, ticket, words) => {
    renderSidebar({ route: backendAnswering(ticket) })
    expect(await screen.findByText(words)).toBeInTheDocument()
    expect(document.querySelector(`[data-state="${ticket.state}"]`)).not.toBeNull()
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
    expect(screen.queryByRole('region', { name: /Not synced|paused|failed/ })).toBeNull()
  })

  it('lists the candidates when the Cluster ID is ambiguous', async () => {
    const ticket = makeTicketState({
      state: 'ambiguous',
      autotask: null,
      clusterId: 'CL-2',
      candidates: [
        { connectionName: 'North', installedProductId: 11, autotaskAccountId: 101 },
        { connectionName: 'South', installedProductId: 12, autotaskAccountId: 102 },
      ],
      notes: { items: [], nextCursor: null },
    })
    renderSidebar({ route: backendAnswering(ticket) })
    const region = await screen.findByRole('region', { name: 'Cluster ID matches several Autotask installed products' })
    expect(within(region).getByText(/Cluster ID CL-2 matches 2 installed products/)).toBeInTheDocument()
    expect(within(region).getByText('North: installed product 11, account 101')).toBeInTheDocument()
    expect(within(region).getByText('South: installed product 12, account 102')).toBeInTheDocument()
  })

  it('shows the problem, what Autotask said and when it is retried when the state is error', async () => {
    const ticket = makeTicketState({
      state: 'error',
      problems: [
        {
          code: 'AUTOTASK_REJECTED',
          message: 'Autotask refused the note',
          remoteMessage: 'Value for field Title exceeds 250 characters',
          attempts: 3,
          nextRetryAt: new Date(Date.now() + 10 * 60_000 + 5_000).toISOString(),
        },
      ],
    })
    renderSidebar({ route: backendAnswering(ticket) })
    const region = await screen.findByRole('region', { name: 'The last sync failed' })
    expect(within(region).getByText('Autotask refused the note (attempt 3)')).toBeInTheDocument()
    expect(within(region).getByText('Autotask said: Value for field Title exceeds 250 characters')).toBeInTheDocument()
    expect(within(region).getByText('Next retry in 10 minutes')).toBeInTheDocument()
  })

  it('says there is one note waiting when exactly one is throttled', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'throttled', waitingNotes: 1 })) })
    expect(await screen.findByText(/^1 note is waiting/)).toBeInTheDocument()
  })

  it('offers no Sync now when the link is closed', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState({ state: 'closed' })) })
    await screen.findByText(/link to Autotask was closed/)
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull()
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

  it('asks through the secure proxy with the JWT claims of DESIGN.md section 3 when loading', async () => {
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

  it('marks public, internal, origin and skipped notes when they are listed', async () => {
    renderSidebar({ route: backendAnswering(makeTicketState()) })
    const notes = await screen.findByRole('region', { name: 'Latest notes' })
    const items = within(notes).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(within(items[0]!).getByText('Tess Technician')).toBeInTheDocument()
    expect(within(items[0]!).getByText('Public')).toBeInTheDocument()
    expect(within(items[0]!).getByText('From Autotask')).toBeInTheDocument()
    expect(within(items[0]!).getByText('1 hour ago')).toBeInTheDocument()
    expect(within(items[1]!).getByText('Internal')).toBeInTheDocument()
    expect(within(items[1]!).getByText('From Zendesk')).toBeInTheDocument()
    expect(within(items[1]!).getByText('Not mirrored')).toBeInTheDocument()
    expect(within(items[0]!).queryByText('Not mirrored')).toBeNull()
  })

  it('pages older notes with the cursor when Show more is clicked', async () => {
    const first = makeTicketState()
    first.notes.nextCursor = 'cursor-2'
    const older = makeTicketState({
      notes: {
        items: [{ id: 'at:400', origin: 'autotask', author: 'Old Timer', createdAt: '2026-01-01T10:00:00Z', public: true, title: null, text: 'Ticket created.', state: 'synced' }],
        nextCursor: null,
      },
    })
    const client = renderSidebar({
      route: backendAnswering(first, (_request, url) => (url.searchParams.get('notesCursor') === 'cursor-2' ? { ok: older } : null)),
    })
    const button = await screen.findByRole('button', { name: 'Show more notes' })
    await userEvent.click(button)
    expect(await screen.findByText('Old Timer')).toBeInTheDocument()
    expect(within(screen.getByRole('region', { name: 'Latest notes' })).getAllByRole('listitem')).toHaveLength(3)
    expect(client.requests.at(-1)?.url).toBe('https://psa-link.example.test/api/v1/tickets/4242?notesCursor=cursor-2')
    expect(screen.queryByRole('button', { name: 'Show more notes' })).toBeNull()
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

describe('ticket sidebar refreshes', () => {
  it.each(['ticket.saved', 'ticket.submit.done'])('reloads the state when Zendesk fires %s', async (event) => {
    let ticket = makeTicketState({ state: 'not_eligible', autotask: null, clusterId: null })
    const client = renderSidebar({ route: (request, url) => backendAnswering(ticket)(request, url) })
    await screen.findByText(/has no Cluster ID/)
    ticket = makeTicketState()
    act(() => client.emit(event))
    await linkedCard()
    expect(client.requests).toHaveLength(2)
  })

  it('reloads the state when the Cluster ID field from the settings changes', async () => {
    let ticket = makeTicketState({ state: 'unrouted', autotask: null, clusterId: 'X-1' })
    const client = renderSidebar({
      settings: { backend_url: 'https://psa-link.example.test', cluster_id_field_id: '360001' },
      route: (request, url) => backendAnswering(ticket)(request, url),
    })
    await screen.findByText(/Cluster ID X-1, so this ticket is not synced/)
    expect(client.subscribed('ticket.custom_field_360001.changed')).toBe(true)
    ticket = makeTicketState()
    act(() => client.emit('ticket.custom_field_360001.changed', 'CL-1001'))
    await linkedCard()
  })

  it('reads the state once when one save fires both save events', async () => {
    const client = renderSidebar({ route: backendAnswering(makeTicketState()) })
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
  it('shows progress, then the new state and "Synced" when the backend answers done', async () => {
    let release: (value: unknown) => void = () => undefined
    const synced = makeTicketState({ autotask: { ...makeTicketState().autotask!, status: { id: 8, label: 'In Progress' } } })
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
    const live = screen.getByRole('status', { name: '' })
    expect(live).toHaveAttribute('aria-live', 'polite')
    expect(live).toHaveTextContent('Syncing with Autotask…')
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeDisabled()
    await act(async () => release(syncAnswer('done', synced)))
    expect(live).toHaveTextContent('Synced with Autotask.')
    expect(within(await linkedCard()).getByText('In Progress')).toBeInTheDocument()
    const post = client.requests.find((request) => request.type === 'POST')
    expect(post?.url).toBe('https://psa-link.example.test/api/v1/tickets/4242/sync')
    expect(post?.secure).toBe(true)
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
    expect(await screen.findByText('Synced with Autotask.')).toBeInTheDocument()
    expect(within(await linkedCard()).getByText('Complete')).toBeInTheDocument()
    expect(polls).toBe(2)
    expect(client.requests.filter((request) => request.url.endsWith('/api/v1/jobs/job-9'))).toHaveLength(2)
  })

  it('says the sync is still running when the job stays queued past the poll limit', async () => {
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request, url) =>
        request.type === 'POST' || url.pathname.startsWith('/api/v1/jobs/') ? { ok: syncAnswer('queued', makeTicketState(), 'job-slow') } : null,
      ),
    })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText(/The sync is still running/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled()
  })

  it('says why when the sync cannot be started', async () => {
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request) => (request.type === 'POST' ? { fail: { status: 409, responseText: 'Connection paused' } } : null)),
    })
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText('The sync could not be started: Connection paused')).toBeInTheDocument()
  })

  it('runs from the keyboard when the agent tabs to it and presses Enter or Space', async () => {
    let posts = 0
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request) => {
        if (request.type !== 'POST') return null
        posts += 1
        return { ok: syncAnswer('done', makeTicketState()) }
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
    expect(await screen.findByText('Synced with Autotask.')).toBeInTheDocument()
    await user.keyboard(' ')
    await waitFor(() => expect(posts).toBe(2))
  })
})
