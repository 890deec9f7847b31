import type { SyncNowResponse, TicketStateResponse } from '@psa-link/shared'
import type { ZafClient, ZafEventHandler, ZafRegistration, ZafRequestFailure, ZafRequestOptions } from '../../zendesk-app/src/lib/zaf'

/** A backend answer, or a failure the way the ZAF proxy rejects (jqXHR-like). */
export type FakeAnswer = { ok: unknown } | { fail: ZafRequestFailure } | { pending: Promise<unknown> }

export type FakeRoute = (request: ZafRequestOptions, url: URL) => FakeAnswer

export interface FakeZafOptions {
  settings?: ZafRegistration['metadata']['settings']
  ticketId?: number
  userId?: number
  subdomain?: string
  location?: string
  /** `currentUser.locale` and `.role`, as Zendesk reports them. */
  locale?: string
  role?: string
  /** What `client.get('colorScheme')` answers (Zendesk's light or dark mode). */
  colorScheme?: 'light' | 'dark'
  route: FakeRoute
}

/** A host that answers like Zendesk does, for the facade's interface; records what the app asked. */
export class FakeZafClient implements ZafClient {
  readonly requests: ZafRequestOptions[] = []
  readonly invocations: { name: string; args: unknown[] }[] = []
  private readonly handlers = new Map<string, Set<ZafEventHandler>>()
  private readonly registration: ZafRegistration
  route: FakeRoute
  /** Ticket fields the host answers for `ticket.customField:custom_field_<id>`. */
  readonly fields = new Map<string, unknown>()

  constructor(private readonly options: FakeZafOptions) {
    this.route = options.route
    this.registration = {
      metadata: {
        appId: 1,
        installationId: 2,
        name: 'PSA Link',
        version: '0.1.0',
        settings: options.settings ?? { backend_url: 'https://psa-link.example.test', cluster_id_field_id: 360001 },
      },
      context: {
        product: 'support',
        location: options.location ?? 'ticket_sidebar',
        instanceGuid: 'guid-1',
        account: { subdomain: options.subdomain ?? 'acme' },
      },
    }
  }

  whenRegistered(): Promise<ZafRegistration> {
    return Promise.resolve(this.registration)
  }

  on(event: string, handler: ZafEventHandler): void {
    const set = this.handlers.get(event) ?? new Set()
    set.add(handler)
    this.handlers.set(event, set)
  }

  off(event: string, handler: ZafEventHandler): void {
    this.handlers.get(event)?.delete(handler)
  }

  subscribed(event: string): boolean {
    return (this.handlers.get(event)?.size ?? 0) > 0
  }

  /** Fires a host event, as Zendesk does when the agent acts on the ticket. */
  emit(event: string, payload?: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) handler(payload)
  }

  async get(path: string): Promise<Record<string, unknown>> {
    if (path === 'ticket.id') return { 'ticket.id': this.options.ticketId ?? 4242 }
    if (path === 'currentUser') {
      return { currentUser: { id: this.options.userId ?? 77, name: 'Agent Smith', locale: this.options.locale ?? 'en', role: this.options.role ?? 'agent' } }
    }
    if (path === 'colorScheme') return { colorScheme: this.options.colorScheme ?? 'light' }
    if (path.startsWith('ticket.customField:')) return { [path]: this.fields.get(path) ?? null }
    throw new Error(`"${path}" Unknown path`)
  }

  async invoke(name: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ name, args })
    return {}
  }

  request(options: ZafRequestOptions): Promise<unknown> {
    this.requests.push(options)
    const answer = this.route(options, new URL(options.url))
    if ('pending' in answer) return answer.pending
    if ('fail' in answer) return Promise.reject(answer.fail)
    // The proxy hands JSON over already parsed when dataType is json.
    return Promise.resolve(structuredClone(answer.ok))
  }
}

export function makeTicketState(overrides: Partial<TicketStateResponse> = {}): TicketStateResponse {
  return {
    zendeskTicketId: 4242,
    state: 'linked',
    reason: null,
    message: null,
    clusterId: 'CL-1001',
    autotask: {
      ticketId: 9001,
      ticketNumber: 'T20261128.0042',
      url: 'https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=9001',
      title: 'Printer offline on floor 2',
      status: { id: 1, label: 'New' },
      priority: { id: 2, label: 'High' },
      accountName: 'Contoso Ltd',
      queue: { id: 5, label: 'Level I Support' },
      dueDateTime: '2026-12-01T17:00:00Z',
      connectionName: 'Contoso Autotask',
    },
    lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    checkedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    syncing: false,
    nextAttemptAt: null,
    notes: {
      items: [
        {
          id: 'at:501',
          origin: 'autotask',
          author: 'Tess Technician',
          createdAt: new Date(Date.now() - 60 * 60_000).toISOString(),
          public: true,
          title: 'Onsite visit',
          text: 'Replaced the toner.',
          truncated: false,
          state: 'synced',
        },
        {
          id: 'zd:601',
          origin: 'zendesk',
          author: 'Agent Smith',
          createdAt: new Date(Date.now() - 2 * 60 * 60_000).toISOString(),
          public: false,
          title: null,
          text: 'Customer called again.',
          truncated: false,
          state: 'skipped',
        },
      ],
      nextCursor: null,
    },
    problems: [],
    candidates: [],
    waitingNotes: 0,
    manualLinkPolicy: 'admins',
    ...overrides,
  }
}

export function syncAnswer(status: SyncNowResponse['status'], ticket: TicketStateResponse, jobId: string | null = null): SyncNowResponse {
  return { status, jobId, ticket }
}
