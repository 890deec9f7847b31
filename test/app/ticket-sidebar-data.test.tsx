import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../zendesk-app/src/app/App'
import { makeTicketState } from './fake-zaf-client'
import { backendAnswering, linkedCard, renderSidebar } from './sidebar-harness'

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
        items: [
          {
            id: 'at:400',
            origin: 'autotask',
            author: 'Old Timer',
            createdAt: '2026-01-01T10:00:00Z',
            public: true,
            title: null,
            text: 'Ticket created.',
            truncated: false,
            state: 'synced',
          },
        ],
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
