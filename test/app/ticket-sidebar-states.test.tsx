import type { TicketStateResponse } from '@psa-link/shared'
import { screen, within } from '@testing-library/react'
import { makeTicketState } from './fake-zaf-client'
import { backendAnswering, clock, linkedCard, none, renderSidebar, todoOf } from './sidebar-harness'

describe('ticket sidebar states', () => {
  const cases: [string, TicketStateResponse, string, RegExp][] = [
    ['pending', makeTicketState({ state: 'pending', ...none }), 'Linking to Autotask…', /Nothing – this updates by itself/],
    [
      'unrouted',
      makeTicketState({ state: 'unrouted', clusterId: 'X-17', ...none }),
      'Cluster ID X-17 is not in Autotask',
      /You: check the Cluster ID for typos.*an Autotask admin/,
    ],
    [
      'no Cluster ID',
      makeTicketState({ state: 'not_eligible', reason: 'no_cluster_id', clusterId: null, ...none }),
      'No Cluster ID',
      /You: set the Cluster ID field and submit the ticket/,
    ],
    [
      'closed when eligible',
      makeTicketState({ state: 'not_eligible', reason: 'closed_when_eligible', clusterId: 'CL-1001', ...none }),
      'Not sent to Autotask: the ticket was already closed',
      /create a follow-up ticket/,
    ],
    [
      'no ready connection',
      makeTicketState({ state: 'not_eligible', reason: 'no_ready_connection', ...none }),
      'Autotask cannot be reached',
      /A Zendesk admin checks the Autotask connection/,
    ],
    [
      'not configured',
      makeTicketState({ state: 'not_eligible', reason: 'not_configured', clusterId: null, ...none }),
      'PSA Link is not set up yet',
      /A Zendesk admin finishes the set-up/,
    ],
    ['paused', makeTicketState({ state: 'paused', reason: 'connection_paused' }), 'Sync paused by an admin', /Ask a Zendesk admin if the pause should end/],
    ['throttled', makeTicketState({ state: 'throttled', waitingNotes: 4 }), "Waiting for Zendesk's update limit", /as soon as Zendesk allows/],
    [
      'broken',
      makeTicketState({ state: 'broken' }),
      'Autotask ticket not found',
      /A Zendesk admin links this ticket to the right Autotask ticket from this sidebar/,
    ],
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
      problems: [
        {
          code: 'AUTOTASK_REJECTED',
          message: 'Autotask refused the note',
          remoteMessage: 'Value for field Title exceeds 250 characters',
          attempts: 3,
          nextRetryAt: retryAt,
        },
      ],
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
