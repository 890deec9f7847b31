import type { TicketStateResponse } from '@psa-link/shared'
import { configure, render, screen, within } from '@testing-library/react'
import { App } from '../../zendesk-app/src/app/App'
import type { ZafRequestOptions } from '../../zendesk-app/src/lib/zaf'
import { FakeZafClient } from './fake-zaf-client'
import type { FakeAnswer, FakeZafOptions } from './fake-zaf-client'

/** What the sidebar's tests share: the app rendered over a fake ZAF client, and the backend it answers for. */
export const FAST_POLL = { syncPollIntervalMs: 5, syncPollLimit: 3 }
// The machine is shared: the first render (Garden, styled-components) can take over a second.
configure({ asyncUtilTimeout: 5_000 })

export function backendAnswering(ticket: TicketStateResponse, extra: (request: ZafRequestOptions, url: URL) => FakeAnswer | null = () => null) {
  return (request: ZafRequestOptions, url: URL): FakeAnswer => {
    const answer = extra(request, url)
    if (answer) return answer
    if (request.type === 'GET' && url.pathname === `/api/v1/tickets/${ticket.zendeskTicketId}`) return { ok: ticket }
    return { fail: { status: 404, responseText: '{"message":"Not found"}' } }
  }
}

export function renderSidebar(options: FakeZafOptions, extra: Record<string, number> = {}) {
  const client = new FakeZafClient(options)
  render(<App client={client} options={{ ...FAST_POLL, ...extra }} />)
  return client
}

export async function linkedCard() {
  return screen.findByRole('region', { name: 'Linked Autotask ticket' })
}

export const none = { autotask: null, notes: { items: [], nextCursor: null } }
export const clock = (iso: string) => new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date(iso))

/** The "What to do" line of the state message. */
export function todoOf(region: HTMLElement): string {
  return within(region).getByText('What to do:').parentElement!.textContent ?? ''
}
