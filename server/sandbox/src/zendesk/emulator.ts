import { createEmulatorClock } from './clock'
import type { EmulatorClock } from './clock'
import { createZendeskStore } from './data'
import type { CommentInput, EmulatorComment, EmulatorTicket, EmulatorUser, TicketChanges, UserRole, ZendeskStore } from './data'
import { EmulatorError } from './errors'
import { createLostResponses } from '../lost-responses'
import type { LostResponses } from '../lost-responses'
import { createSlidingWindow, DEFAULT_LIMITS, NO_FAULTS } from './limits'
import type { SlidingWindow, WindowState, ZendeskFaults, ZendeskLimits } from './limits'
import { createOAuthServer } from './oauth'
import type { OAuthServer } from './oauth'
import { CLUSTER_ID_FIELD_TITLE, SANDBOX_CREDENTIALS, seedDemoAccount } from './seed'
import { createWebhookRegistry } from './webhooks'
import type { WebhookDelivery, WebhookRegistry } from './webhooks'

/**
 * An in-memory Zendesk account with a programmatic API for tests and demos. The HTTP face
 * (index.ts) and this API act on the same state, so a test can create a comment "as an agent"
 * and watch the client and the webhooks see it.
 */
export interface ZendeskEmulatorOptions {
  /** Seed demo tickets (default true); users, fields and credentials are always there. */
  seedTickets?: boolean
  limits?: Partial<ZendeskLimits>
  /** Seconds of recent changes the incremental exports leave out (Zendesk: 60). */
  exportLagSeconds?: number
  /** The account's subdomain (default `demo`): the sandbox can play several Zendesk accounts. */
  subdomain?: string
  /** Zendesk's own id of the account (webhook payloads carry it); default 1000001. */
  accountId?: number
}

export interface EmulatorTicketInput {
  subject: string
  comment: CommentInput
  requesterId?: number
  status?: string
  priority?: string | null
  tags?: string[]
  externalId?: string | null
  /** Custom field values by field id. */
  customFields?: Record<number, string | null>
  /** Shorthand for the Cluster ID field. */
  clusterId?: string | null
  /** Creates a follow-up of this closed ticket. */
  followupSourceId?: number
}

export interface EmulatorTicketChanges extends Omit<TicketChanges, 'customFields'> {
  customFields?: Record<number, string | null>
  clusterId?: string | null
}

export interface ServiceTotals {
  requests: number
  /** By the wall clock. */
  ms: number
  /** The process's CPU time in the same stretches. */
  cpuMs: number
}

export interface EmulatorState {
  clock: EmulatorClock
  store: ZendeskStore
  oauth: OAuthServer
  webhooks: WebhookRegistry
  accountWindow: SlidingWindow
  ticketUpdateWindow: SlidingWindow
  perTicketWindow: SlidingWindow
  exportWindow: SlidingWindow
  counters: Map<string, number>
  /** Per counter key, the requests answered below 400 and their own service time (index.ts). */
  service: Map<string, ServiceTotals>
  integrationUser: EmulatorUser
  agents: EmulatorUser[]
  requester: EmulatorUser
  clusterIdFieldId: number
  apiTokens: Map<string, string>
}

export interface ZendeskEmulator {
  readonly subdomain: string
  readonly accountId: number
  /** Current state; `reset()` replaces it. Routes read it on every request. */
  state(): EmulatorState
  readonly integrationUserId: number
  readonly clusterIdFieldId: number
  agents(): EmulatorUser[]
  requester(): EmulatorUser
  createUser(input: { name: string; email: string; role: UserRole }): EmulatorUser
  createTicket(input: EmulatorTicketInput, actorId?: number): EmulatorTicket
  updateTicket(ticketId: number, changes: EmulatorTicketChanges, actorId?: number): EmulatorTicket
  addComment(ticketId: number, comment: CommentInput & { authorId: number }): EmulatorComment
  closeTicket(ticketId: number, actorId?: number): EmulatorTicket
  deleteTicket(ticketId: number, actorId?: number): void
  mergeTickets(sourceIds: number[], targetId: number, actorId?: number): void
  ticket(ticketId: number): EmulatorTicket | undefined
  tickets(): EmulatorTicket[]
  now(): Date
  setNow(moment: Date | null): void
  advanceTime(milliseconds: number): void
  limits(): ZendeskLimits
  setLimits(limits: Partial<ZendeskLimits>): void
  exportLagSeconds(): number
  setExportLagSeconds(seconds: number): void
  faults(): ZendeskFaults
  setFaults(faults: Partial<ZendeskFaults>): void
  clearFaults(): void
  /** Writes that take effect and then lose their answer; cleared with the other faults. */
  readonly lostResponses: LostResponses
  counters(): Record<string, number>
  /** Per counter key: answered requests (status < 400) and their service time, injected latency left out. */
  serviceTimes(): Record<string, ServiceTotals>
  resetCounters(): void
  /** Rate-limit windows are cleared too, so a test starts with the full budget. */
  resetRateLimits(): void
  webhookDeliveries(): WebhookDelivery[]
  webhooksSettled(): Promise<void>
  expireAccessTokens(): void
  setAccessTokenLifetime(seconds: number): void
  /** Back to the freshly seeded account (clock, limits and faults too). */
  reset(): void
  /** Used by the routes: counts the request and applies faults, then the account budget. */
  accountBudget(): WindowState
}

const ACCOUNT_ID = 1_000_001
const SANDBOX_OAUTH_CLIENT_RESOURCE_ID = 360_000_001

function customFieldList(
  values: Record<number, string | null> | undefined,
  clusterId: string | null | undefined,
  clusterIdFieldId: number,
): Array<{ id: number; value: unknown }> | undefined {
  const list = Object.entries(values ?? {}).map(([id, value]) => ({ id: Number(id), value }))
  if (clusterId !== undefined) list.push({ id: clusterIdFieldId, value: clusterId })
  return list.length > 0 ? list : undefined
}

export function createZendeskEmulator(options: ZendeskEmulatorOptions = {}): ZendeskEmulator {
  let limits: ZendeskLimits = { ...DEFAULT_LIMITS, ...options.limits }
  let faults: ZendeskFaults = { ...NO_FAULTS }
  const lostResponses = createLostResponses()
  let exportLag = options.exportLagSeconds ?? 60

  function buildState(): EmulatorState {
    const clock = createEmulatorClock()
    const store = createZendeskStore(clock)
    // Seeded history is a day old, so the export (which leaves out the last minute) sees it at once.
    clock.set(new Date(Date.now() - 24 * 3600 * 1000))
    const seeded = seedDemoAccount(store, clock, options.seedTickets ?? true)
    clock.set(null)
    const oauth = createOAuthServer(clock, () => seeded.integrationUser.id)
    oauth.issueStaticToken(SANDBOX_CREDENTIALS.accessToken, seeded.integrationUser.id)
    oauth.clients.set(SANDBOX_CREDENTIALS.oauthClientId, {
      id: SANDBOX_OAUTH_CLIENT_RESOURCE_ID,
      clientId: SANDBOX_CREDENTIALS.oauthClientId,
      clientSecret: SANDBOX_CREDENTIALS.oauthClientSecret,
      name: 'PSA Link (sandbox)',
      redirectUris: [],
    })
    return {
      clock,
      store,
      oauth,
      webhooks: createWebhookRegistry(store, clock, options.accountId ?? ACCOUNT_ID),
      accountWindow: createSlidingWindow(60),
      ticketUpdateWindow: createSlidingWindow(60),
      perTicketWindow: createSlidingWindow(limits.updatesPerTicketWindowSeconds),
      exportWindow: createSlidingWindow(60),
      counters: new Map(),
      service: new Map(),
      integrationUser: seeded.integrationUser,
      agents: seeded.agents,
      requester: seeded.requester,
      clusterIdFieldId: seeded.clusterIdFieldId,
      apiTokens: new Map([[SANDBOX_CREDENTIALS.email, SANDBOX_CREDENTIALS.apiToken]]),
    }
  }

  let state = buildState()
  const actor = (actorId: number | undefined): number => actorId ?? state.integrationUser.id

  return {
    subdomain: options.subdomain ?? SANDBOX_CREDENTIALS.subdomain,
    accountId: options.accountId ?? ACCOUNT_ID,
    state: () => state,
    get integrationUserId() {
      return state.integrationUser.id
    },
    get clusterIdFieldId() {
      return state.clusterIdFieldId
    },
    agents: () => state.agents,
    requester: () => state.requester,
    createUser: (input) => state.store.createUser(input),

    createTicket(input, actorId) {
      const author = input.comment.authorId ?? input.requesterId ?? actor(actorId)
      return state.store.createTicket(
        {
          subject: input.subject,
          comment: { ...input.comment, authorId: author },
          requesterId: input.requesterId ?? author,
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.priority !== undefined ? { priority: input.priority } : {}),
          ...(input.tags !== undefined ? { tags: input.tags } : {}),
          ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
          ...(input.followupSourceId !== undefined ? { followupSourceId: input.followupSourceId } : {}),
          customFields: customFieldList(input.customFields, input.clusterId, state.clusterIdFieldId),
        },
        actorId ?? author,
      ).ticket
    },

    updateTicket(ticketId, changes, actorId) {
      const { customFields, clusterId, ...rest } = changes
      return state.store.updateTicket(ticketId, { ...rest, customFields: customFieldList(customFields, clusterId, state.clusterIdFieldId) }, actor(actorId))
        .ticket
    },

    addComment(ticketId, comment) {
      const result = state.store.updateTicket(ticketId, { comment }, comment.authorId)
      if (!result.comment) throw new Error('the comment was not added')
      return result.comment
    },

    closeTicket: (ticketId, actorId) => state.store.updateTicket(ticketId, { status: 'closed' }, actor(actorId)).ticket,
    deleteTicket(ticketId, actorId) {
      state.store.deleteTicket(ticketId, actor(actorId))
    },
    mergeTickets(sourceIds, targetId, actorId) {
      state.store.mergeTickets(sourceIds, targetId, actor(actorId))
    },
    ticket: (ticketId) => state.store.tickets.get(ticketId),
    tickets: () => [...state.store.tickets.values()],

    now: () => state.clock.now(),
    setNow: (moment) => state.clock.set(moment),
    advanceTime: (milliseconds) => state.clock.advance(milliseconds),

    limits: () => ({ ...limits }),
    setLimits(next) {
      const windowChanged = next.updatesPerTicketWindowSeconds !== undefined && next.updatesPerTicketWindowSeconds !== limits.updatesPerTicketWindowSeconds
      limits = { ...limits, ...next }
      if (windowChanged) state.perTicketWindow = createSlidingWindow(limits.updatesPerTicketWindowSeconds)
    },
    exportLagSeconds: () => exportLag,
    setExportLagSeconds(seconds) {
      exportLag = seconds
    },

    faults: () => ({ ...faults }),
    setFaults(next) {
      faults = { ...faults, ...next }
    },
    clearFaults() {
      faults = { ...NO_FAULTS }
      lostResponses.clear()
    },
    lostResponses,

    counters: () => Object.fromEntries(state.counters),
    serviceTimes: () => Object.fromEntries([...state.service].map(([key, totals]) => [key, { ...totals }])),
    resetCounters() {
      state.counters.clear()
      state.service.clear()
    },
    resetRateLimits() {
      state.accountWindow.clear()
      state.ticketUpdateWindow.clear()
      state.perTicketWindow.clear()
      state.exportWindow.clear()
    },

    webhookDeliveries: () => state.webhooks.deliveries(),
    webhooksSettled: () => state.webhooks.settled(),
    expireAccessTokens: () => state.oauth.expireAccessTokens(),
    setAccessTokenLifetime: (seconds) => state.oauth.setAccessTokenLifetime(seconds),

    reset() {
      limits = { ...DEFAULT_LIMITS, ...options.limits }
      faults = { ...NO_FAULTS }
      lostResponses.clear()
      exportLag = options.exportLagSeconds ?? 60
      state = buildState()
    },

    accountBudget() {
      const now = state.clock.now().getTime()
      if (faults.rateLimitStormRetryAfterSeconds !== null) {
        throw new EmulatorError(429, 'Too Many Requests', { 'retry-after': String(faults.rateLimitStormRetryAfterSeconds) })
      }
      return state.accountWindow.take(
        'account',
        now,
        limits.accountRequestsPerMinute,
        `The account's rate limit of ${limits.accountRequestsPerMinute} requests per minute was exceeded`,
      )
    },
  }
}

export { CLUSTER_ID_FIELD_TITLE, SANDBOX_CREDENTIALS }
