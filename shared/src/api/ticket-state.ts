import Type, { type Static } from 'typebox'

/**
 * What the sidebar shows for one Zendesk ticket (server/src/sync/README.md R19). The backend
 * answers it from PostgreSQL alone, never by calling Autotask.
 */
export const TICKET_SYNC_STATES = [
  'linked', // an Autotask ticket exists and is in step
  'pending', // eligible, not yet synced
  'unrouted', // its Cluster ID matches no active InstalledProduct
  'ambiguous', // its Cluster ID matches several
  'not_eligible', // no Cluster ID (or no ready connection)
  'error', // the last attempt failed; see `problems` for when it is retried
  'paused', // its Autotask connection is paused
  'throttled', // Zendesk's per-ticket update limit: notes are waiting
  'broken', // the linked Autotask ticket was deleted or cannot be found
  'closed', // the link was closed (Zendesk ticket deleted or merged)
] as const

export type TicketSyncState = (typeof TICKET_SYNC_STATES)[number]
export const TicketSyncState = Type.Unsafe<TicketSyncState>(Type.Union(TICKET_SYNC_STATES.map((state) => Type.Literal(state))))

/**
 * Why a ticket is in its state where one state has several causes: the sidebar gives each its own
 * title and "what to do" (a ticket closed before it got its Cluster ID is not one without one).
 */
export const TICKET_STATE_REASONS = [
  'no_cluster_id', // not_eligible: the Cluster ID field is empty
  'closed_when_eligible', // not_eligible: already solved or closed when it got its Cluster ID
  'deleted', // not_eligible or closed: deleted in Zendesk
  'no_ready_connection', // not_eligible: no Autotask connection can be used right now
  'not_configured', // not_eligible: the Zendesk account lacks a connection or the Cluster ID field
  'merged', // closed: merged into another Zendesk ticket
  'autotask_merged', // closed: its Autotask ticket was merged into one linked elsewhere
  'unlinked', // closed: an agent unlinked it by hand
  'connection_paused', // paused: an admin paused the Autotask connection
] as const

export type TicketStateReason = (typeof TICKET_STATE_REASONS)[number]
export const TicketStateReason = Type.Unsafe<TicketStateReason>(Type.Union(TICKET_STATE_REASONS.map((reason) => Type.Literal(reason))))

export const PicklistValue = Type.Object({ id: Type.Integer(), label: Type.String() })
export type PicklistValue = Static<typeof PicklistValue>

export const LinkedAutotaskTicket = Type.Object({
  ticketId: Type.Integer(),
  ticketNumber: Type.String(),
  /** Opens the ticket in Autotask's web UI. */
  url: Type.String(),
  title: Type.String(),
  status: PicklistValue,
  priority: PicklistValue,
  accountName: Type.Union([Type.String(), Type.Null()]),
  queue: Type.Union([PicklistValue, Type.Null()]),
  dueDateTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  connectionName: Type.String(),
})
export type LinkedAutotaskTicket = Static<typeof LinkedAutotaskTicket>

export const SyncedNote = Type.Object({
  /** Stable id for lists: `at:<note id>` or `zd:<comment id>`. */
  id: Type.String(),
  /** Where the note was written first. */
  origin: Type.Union([Type.Literal('autotask'), Type.Literal('zendesk')]),
  author: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  public: Type.Boolean(),
  title: Type.Union([Type.String(), Type.Null()]),
  /** Plain text, cut to a preview length. */
  text: Type.String(),
  /** The note is longer than `text`: the whole of it is in Autotask or Zendesk. */
  truncated: Type.Boolean(),
  /** `skipped` notes could not be mirrored (e.g. the Zendesk ticket is closed). */
  state: Type.Union([Type.Literal('synced'), Type.Literal('pending'), Type.Literal('skipped')]),
})
export type SyncedNote = Static<typeof SyncedNote>

export const SyncProblemSummary = Type.Object({
  code: Type.String(),
  message: Type.String(),
  /** The remote system's own words, when it said something. */
  remoteMessage: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  nextRetryAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type SyncProblemSummary = Static<typeof SyncProblemSummary>

export const RouteCandidate = Type.Object({
  connectionName: Type.String(),
  installedProductId: Type.Integer(),
  autotaskAccountId: Type.Integer(),
  /** The Autotask account's name, when Autotask could be asked for it. */
  accountName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
})
export type RouteCandidate = Static<typeof RouteCandidate>

/**
 * Who may link a ticket to an existing Autotask ticket by hand (and unlink it): a setting the
 * backend holds per Zendesk account. The sidebar uses it to offer the action; the backend checks
 * the caller's Zendesk role itself on every link and unlink.
 */
export const MANUAL_LINK_POLICIES = ['off', 'admins', 'agents'] as const
export type ManualLinkPolicy = (typeof MANUAL_LINK_POLICIES)[number]
export const ManualLinkPolicy = Type.Unsafe<ManualLinkPolicy>(Type.Union(MANUAL_LINK_POLICIES.map((policy) => Type.Literal(policy))))

export const TicketStateResponse = Type.Object({
  zendeskTicketId: Type.Integer(),
  state: TicketSyncState,
  /** The cause, where a state has several (see TICKET_STATE_REASONS); the sidebar words it. */
  reason: Type.Union([TicketStateReason, Type.Null()]),
  /** One sentence in English for logs and admins, e.g. "Cluster ID X-17 is not registered in Autotask". */
  message: Type.Union([Type.String(), Type.Null()]),
  clusterId: Type.Union([Type.String(), Type.Null()]),
  autotask: Type.Union([LinkedAutotaskTicket, Type.Null()]),
  lastSyncedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** When a sync last looked at this ticket, whatever it found (Sync now's "checked 12 s ago"). */
  checkedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** A sync of this ticket is queued or running right now. */
  syncing: Type.Boolean(),
  /** When PSA Link tries this ticket again by itself (it waits on the dirty list); null when nothing is due. */
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  notes: Type.Object({
    items: Type.Array(SyncedNote),
    /** Pass as `?notesCursor=` for the next (older) page; null on the last page. */
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  }),
  problems: Type.Array(SyncProblemSummary),
  candidates: Type.Array(RouteCandidate),
  /** Notes waiting for Zendesk's per-ticket update limit (state `throttled`). */
  waitingNotes: Type.Integer({ minimum: 0 }),
  manualLinkPolicy: ManualLinkPolicy,
})
export type TicketStateResponse = Static<typeof TicketStateResponse>

export const SyncNowResponse = Type.Object({
  /** `done`: the sync finished and `ticket` is its result; `queued`: poll `GET /api/v1/jobs/:jobId`. */
  status: Type.Union([Type.Literal('done'), Type.Literal('queued')]),
  jobId: Type.Union([Type.String(), Type.Null()]),
  ticket: TicketStateResponse,
})
export type SyncNowResponse = Static<typeof SyncNowResponse>
