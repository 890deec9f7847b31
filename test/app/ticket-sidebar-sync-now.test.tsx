import type { TicketStateResponse } from '@psa-link/shared'
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { makeTicketState, syncAnswer } from './fake-zaf-client'
import { backendAnswering, clock, linkedCard, none, renderSidebar } from './sidebar-harness'

describe('Sync now', () => {
  it('shows progress, then "Up to date · checked just now" and the new state when the backend answers done', async () => {
    let release: (value: unknown) => void = () => undefined
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
    // Checked as the answer arrives: the first render of a file can take seconds on a loaded machine.
    const synced = makeTicketState({
      checkedAt: new Date().toISOString(),
      autotask: { ...makeTicketState().autotask!, status: { id: 8, label: 'In Progress' } },
    })
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
        makeTicketState({
          state: 'error',
          problems: [{ code: 'x', message: 'Sync failed', remoteMessage: 'Ticket is locked', attempts: 2, nextRetryAt: retryAt }],
        }),
        new RegExp(`^Failed – retrying at ${clock(retryAt)} \\(Autotask: Ticket is locked\\)$`),
      ],
      [
        'failed, retried from the dirty list',
        makeTicketState(),
        makeTicketState({ state: 'error', problems: [], nextAttemptAt: retryAt }),
        new RegExp(`^Failed – retrying at ${clock(retryAt)}$`),
      ],
      [
        'failed with no retry',
        makeTicketState(),
        makeTicketState({ state: 'error', problems: [{ code: 'x', message: 'Refused', remoteMessage: null, attempts: 5, nextRetryAt: null }] }),
        /^Failed – no automatic retry$/,
      ],
      ['paused', makeTicketState(), makeTicketState({ state: 'paused', reason: 'connection_paused' }), /^Paused by an admin$/],
      [
        'unrouted',
        makeTicketState({ state: 'unrouted', clusterId: 'X-17', ...none }),
        makeTicketState({ state: 'unrouted', clusterId: 'X-17', checkedAt: new Date().toISOString(), ...none }),
        /^Cluster ID X-17 is still not in Autotask · checked (just now|\d+ sec\. ago)$/,
      ],
      ['newly linked', makeTicketState({ state: 'pending', ...none }), makeTicketState(), /^Linked to T20261128\.0042$/],
      ['throttled', makeTicketState(), makeTicketState({ state: 'throttled', waitingNotes: 3 }), /^Up to date · 3 notes wait for Zendesk's limit$/],
    ]
  })()

  it.each(after)('says what the state is after the sync when it ends %s, never "synced"', async (_name, before, result, words) => {
    renderSidebar(
      { route: backendAnswering(before, (request) => (request.type === 'POST' ? { ok: syncAnswer('done', result) } : null)) },
      { busyRefreshMs: 60_000 },
    )
    const button = await screen.findByRole('button', { name: /Sync now|Check Autotask again/ })
    await userEvent.click(button)
    await waitFor(() => expect(screen.getByTestId('sync-result')).toHaveTextContent(words))
    expect(screen.getByTestId('sync-result').textContent).not.toMatch(/Synced with Autotask/)
  })

  it('moves focus to the result when the ticket turns out paused and Sync now goes away', async () => {
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request) =>
        request.type === 'POST' ? { ok: syncAnswer('done', makeTicketState({ state: 'paused', reason: 'connection_paused' })) } : null,
      ),
    })
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
    renderSidebar(
      {
        route: backendAnswering(running, (request, url) =>
          request.type === 'POST' || url.pathname.startsWith('/api/v1/jobs/') ? { ok: syncAnswer('queued', running, 'job-slow') } : null,
        ),
      },
      { busyRefreshMs: 60_000 },
    )
    await linkedCard()
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText(/^Still syncing – this updates when it finishes\.$/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sync now' })).toHaveAttribute('aria-disabled', 'false')
  })

  it('says Sync now did not reach PSA Link when the request fails', async () => {
    renderSidebar({
      route: backendAnswering(makeTicketState(), (request) => (request.type === 'POST' ? { fail: { status: 502, responseText: 'Bad gateway' } } : null)),
    })
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
