import type { TicketStateResponse } from '@psa-link/shared'
import { act, configure, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../zendesk-app/src/app/App'
import type { ZafRequestOptions } from '../../zendesk-app/src/lib/zaf'
import { FakeZafClient, makeTicketState } from './fake-zaf-client'
import type { FakeAnswer, FakeZafOptions } from './fake-zaf-client'

// The machine is shared: renders can take seconds under load.
configure({ asyncUtilTimeout: 10_000 })
vi.setConfig({ testTimeout: 30_000 })

function renderSidebar(options: FakeZafOptions) {
  const client = new FakeZafClient(options)
  render(<App client={client} />)
  return client
}

const answering =
  (ticket: TicketStateResponse, extra: (request: ZafRequestOptions, url: URL) => FakeAnswer | null = () => null) =>
  (request: ZafRequestOptions, url: URL): FakeAnswer =>
    extra(request, url) ?? (request.type === 'GET' ? { ok: ticket } : { fail: { status: 404, responseText: '{}' } })

describe('colour scheme', () => {
  it('uses the dark scheme the client reports and follows colorScheme.changed', async () => {
    const client = renderSidebar({ colorScheme: 'dark', route: answering(makeTicketState()) })
    await screen.findByRole('region', { name: 'Linked Autotask ticket' })
    // The scheme Garden's ThemeProvider gets (jsdom computes no styles: Chromium checks the colours).
    await waitFor(() => expect(document.querySelector('[data-color-scheme="dark"]')).not.toBeNull())
    expect(client.subscribed('colorScheme.changed')).toBe(true)
    act(() => client.emit('colorScheme.changed', 'light'))
    await waitFor(() => expect(document.querySelector('[data-color-scheme="light"]')).not.toBeNull())
    act(() => client.emit('colorScheme.changed', { colorScheme: 'dark' }))
    await waitFor(() => expect(document.querySelector('[data-color-scheme="dark"]')).not.toBeNull())
  })

  it('starts with the scheme Zendesk put in the iframe URL before the client answers', async () => {
    let answer: (value: Record<string, unknown>) => void = () => undefined
    const client = new FakeZafClient({ route: answering(makeTicketState()) })
    client.get = (path) => (path === 'colorScheme' ? new Promise((resolve) => (answer = resolve)) : FakeZafClient.prototype.get.call(client, path))
    render(<App client={client} colorScheme="dark" />)
    await screen.findByRole('region', { name: 'Linked Autotask ticket' })
    expect(document.querySelector('[data-color-scheme="dark"]')).not.toBeNull()
    await act(async () => answer({ colorScheme: 'light' }))
    expect(document.querySelector('[data-color-scheme="light"]')).not.toBeNull()
  })
})

describe('languages', () => {
  it('speaks German when the agent’s locale is de-DE, times included', async () => {
    renderSidebar({ locale: 'de-DE', route: answering(makeTicketState()) })
    const card = await screen.findByRole('region', { name: 'Verknüpftes Autotask-Ticket' })
    expect(within(card).getByText('vor 5 Minuten')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Jetzt synchronisieren' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Neueste Notizen' })).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('de')
  })

  it('gives the German state message its own title and "What to do" line', async () => {
    renderSidebar({
      locale: 'de',
      route: answering(makeTicketState({ state: 'not_eligible', reason: 'closed_when_eligible', autotask: null, notes: { items: [], nextCursor: null } })),
    })
    const region = await screen.findByRole('region', { name: 'Nicht an Autotask gesendet: Das Ticket war schon geschlossen' })
    expect(within(region).getByText('Was tun:')).toBeInTheDocument()
  })

  it('falls back to English when the agent’s language is not shipped', async () => {
    renderSidebar({ locale: 'fr', route: answering(makeTicketState()) })
    expect(await screen.findByRole('region', { name: 'Linked Autotask ticket' })).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('en')
  })
})

describe('link by hand', () => {
  it('links a broken ticket by number after a confirmation when the agent is an admin and admins may link', async () => {
    const linked = makeTicketState({ autotask: { ...makeTicketState().autotask!, ticketNumber: 'T20261201.0042' } })
    const client = renderSidebar({
      role: 'admin',
      route: answering(makeTicketState({ state: 'broken' }), (request, url) =>
        request.type === 'POST' && url.pathname.endsWith('/link') ? { ok: linked } : null,
      ),
    })
    await screen.findByRole('region', { name: 'Autotask ticket not found' })
    expect(screen.getByText(/You: link this ticket to the right Autotask ticket below/)).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Link to an Autotask ticket…' }))
    const field = screen.getByLabelText('Autotask ticket number')
    expect(document.activeElement).toBe(field)
    await userEvent.type(field, 't20261201.0042')
    await userEvent.click(screen.getByRole('button', { name: 'Link' }))
    expect(screen.getByText(/Link this Zendesk ticket to Autotask ticket T20261201\.0042\?/)).toBeInTheDocument()
    expect(client.requests.some((request) => request.url.endsWith('/link'))).toBe(false)
    await userEvent.click(screen.getByRole('button', { name: 'Yes, link it' }))
    expect(await screen.findByText('Linked to T20261201.0042.')).toBeInTheDocument()
    const post = client.requests.find((request) => request.url.endsWith('/link'))
    expect(JSON.parse(post!.data!)).toEqual({ autotaskTicketNumber: 'T20261201.0042' })
    expect(post?.secure).toBe(true)
  })

  it('unlinks only after the agent confirms', async () => {
    const client = renderSidebar({
      role: 'admin',
      route: answering(makeTicketState(), (request, url) =>
        request.type === 'POST' && url.pathname.endsWith('/unlink') ? { ok: makeTicketState({ state: 'closed', reason: 'unlinked' }) } : null,
      ),
    })
    await screen.findByRole('region', { name: 'Linked Autotask ticket' })
    await userEvent.click(screen.getByRole('button', { name: 'Unlink from Autotask…' }))
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(client.requests.some((request) => request.url.endsWith('/unlink'))).toBe(false)
    await userEvent.click(screen.getByRole('button', { name: 'Unlink from Autotask…' }))
    await userEvent.click(screen.getByRole('button', { name: 'Yes, unlink' }))
    expect(await screen.findByRole('region', { name: 'No longer synced' })).toBeInTheDocument()
    expect(client.requests.filter((request) => request.url.endsWith('/unlink'))).toHaveLength(1)
  })

  it('says who may link when the backend refuses an agent', async () => {
    renderSidebar({
      locale: 'en',
      role: 'agent',
      route: answering(makeTicketState({ state: 'broken', manualLinkPolicy: 'agents' }), (request) =>
        request.type === 'POST' ? { fail: { status: 403, responseText: JSON.stringify({ code: 'manual_link_forbidden', message: 'no' }) } } : null,
      ),
    })
    await userEvent.click(await screen.findByRole('button', { name: 'Link to an Autotask ticket…' }))
    await userEvent.type(screen.getByLabelText('Autotask ticket number'), 'T20261201.0042')
    await userEvent.click(screen.getByRole('button', { name: 'Link' }))
    await userEvent.click(screen.getByRole('button', { name: 'Yes, link it' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Only Zendesk admins may link tickets by hand in this account.')
  })

  it('offers an agent no link by hand when only admins may link', async () => {
    renderSidebar({ role: 'agent', route: answering(makeTicketState({ state: 'broken', manualLinkPolicy: 'admins' })) })
    const region = await screen.findByRole('region', { name: 'Autotask ticket not found' })
    expect(within(region).getByText(/A Zendesk admin links this ticket/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Link to an Autotask ticket/ })).toBeNull()
  })
})
