import { act, screen, within } from '@testing-library/react'
import { makeTicketState, syncAnswer } from './fake-zaf-client'
import { backendAnswering, linkedCard, none, renderSidebar } from './sidebar-harness'

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
    ticket.notes.items = [
      {
        id: 'at:777',
        origin: 'autotask',
        author: 'Tess Technician',
        createdAt: new Date().toISOString(),
        public: false,
        title: null,
        text: 'Rebooted node 3.',
        truncated: false,
        state: 'synced',
      },
      ...ticket.notes.items,
    ]
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
