import Type, { type Static } from 'typebox'

/**
 * What the sidebar shows for one Zendesk ticket (SYNC-RULES.md "Observable state"). The backend
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
})
export type RouteCandidate = Static<typeof RouteCandidate>

export const TicketStateResponse = Type.Object({
  zendeskTicketId: Type.Integer(),
  state: TicketSyncState,
  /** One sentence for people, e.g. "Cluster ID X-17 is not registered in Autotask". */
  message: Type.Union([Type.String(), Type.Null()]),
  clusterId: Type.Union([Type.String(), Type.Null()]),
  autotask: Type.Union([LinkedAutotaskTicket, Type.Null()]),
  lastSyncedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  notes: Type.Object({
    items: Type.Array(SyncedNote),
    /** Pass as `?notesCursor=` for the next (older) page; null on the last page. */
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  }),
  problems: Type.Array(SyncProblemSummary),
  candidates: Type.Array(RouteCandidate),
  /** Notes waiting for Zendesk's per-ticket update limit (state `throttled`). */
  waitingNotes: Type.Integer({ minimum: 0 }),
})
export type TicketStateResponse = Static<typeof TicketStateResponse>

export const SyncNowResponse = Type.Object({
  /** `done`: the sync finished and `ticket` is its result; `queued`: poll `GET /api/v1/jobs/:jobId`. */
  status: Type.Union([Type.Literal('done'), Type.Literal('queued')]),
  jobId: Type.Union([Type.String(), Type.Null()]),
  ticket: TicketStateResponse,
})
export type SyncNowResponse = Static<typeof SyncNowResponse>
