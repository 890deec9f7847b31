import Type, { type Static } from 'typebox'
import { Id, Nullable, Row, Text, Timestamp } from './fields'

/** A cycle, backfill or forced sync as the monitor lists it; `elapsedMs` only while it runs. */
export const Run = Row({
  id: Type.Integer(),
  kind: Type.String(),
  trigger: Type.String(),
  status: Type.String(),
  connectionId: Nullable(Type.Integer()),
  startedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  durationMs: Nullable(Type.Number()),
  counts: Type.Record(Type.String(), Type.Number()),
  apiUsage: Type.Record(Type.String(), Type.Number()),
  error: Nullable(Type.String()),
  elapsedMs: Type.Optional(Type.Number()),
})
export type Run = Static<typeof Run>

/** A row of the error inbox, with its title and where the ticket is in Zendesk. */
export const Problem = Row({
  id: Type.Integer(),
  connectionId: Nullable(Type.Integer()),
  connectionName: Nullable(Type.String()),
  zendeskTicketId: Nullable(Type.Integer()),
  zendeskUrl: Nullable(Type.String()),
  autotaskTicketNumber: Nullable(Type.String()),
  autotaskUrl: Nullable(Type.String()),
  code: Type.String(),
  title: Type.String(),
  message: Type.String(),
  remoteMessage: Nullable(Type.String()),
  attempts: Type.Integer(),
  state: Type.String(),
  lastSeenAt: Timestamp,
})
export type Problem = Static<typeof Problem>

export const Backfill = Row({
  id: Type.Integer(),
  state: Type.String(),
  startAt: Timestamp,
  includeSolved: Type.Boolean(),
  totalTickets: Nullable(Type.Integer()),
  estimatedRequests: Nullable(Type.Integer()),
  progress: Row({ ticketsDone: Type.Integer(), ticketsCreated: Type.Integer(), notesCreated: Type.Integer(), ticketsFailed: Type.Integer() }),
  autotaskRequests: Type.Integer(),
  resumeAt: Nullable(Timestamp),
  error: Nullable(Type.String()),
  startedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
})
export type Backfill = Static<typeof Backfill>

export const Monitor = Type.Object({
  runs: Type.Array(Run),
  running: Type.Array(Run),
  budget: Type.Object({
    autotask: Type.Array(Row({ connectionId: Type.Integer(), name: Type.String(), requestsLastHour: Type.Number(), limit: Type.Number() })),
    zendesk: Nullable(Type.Object({ perMinute: Type.Number(), limitPerMinute: Type.Number(), windowMinutes: Type.Number() })),
  }),
  backfill: Nullable(Backfill),
})
export type Monitor = Static<typeof Monitor>

export const ProblemsQuery = Type.Object({
  state: Type.Optional(
    Type.Union(
      ['open', 'retrying', 'skipped', 'resolved', 'all'].map((state) => Type.Literal(state)),
      { title: 'State', errorMessage: 'Choose one of open, retrying, skipped, resolved or all.' },
    ),
  ),
})
export type ProblemsQuery = { state?: 'open' | 'retrying' | 'skipped' | 'resolved' | 'all' }

export const ProblemList = Type.Object({ problems: Type.Array(Problem) })

export const BulkRetryBody = Type.Object({
  ids: Type.Array(Id('A problem'), { title: 'Problems', minItems: 1, maxItems: 200, errorMessage: 'Select between 1 and 200 problems.' }),
})
export type BulkRetryBody = Static<typeof BulkRetryBody>

export const BulkRetryReply = Type.Object({ retried: Type.Integer() })

export const TimelineQuery = Type.Object({
  zendeskTicketId: Type.Optional(
    Text('Zendesk ticket id', { max: 20, required: false, pattern: '^\\s*(\\d{1,15})?\\s*$', errorMessage: 'A Zendesk ticket id is a number, e.g. 1234.' }),
  ),
  autotaskTicketNumber: Type.Optional(
    Text('Autotask ticket number', {
      max: 40,
      required: false,
      pattern: '^\\s*([Tt]\\d{8}\\.\\d{4})?\\s*$',
      errorMessage: 'An Autotask ticket number looks like T20240131.0042.',
    }),
  ),
})
export type TimelineQuery = Static<typeof TimelineQuery>

/** Everything PSA Link knows of one Zendesk ticket: its link, its state, its notes, problems and runs. */
export const Timeline = Row({
  zendeskTicketId: Type.Integer(),
  zendeskUrl: Type.String(),
  link: Nullable(
    Row({
      connectionName: Type.String(),
      autotaskTicketNumber: Nullable(Type.String()),
      autotaskUrl: Nullable(Type.String()),
      state: Type.String(),
      lastError: Nullable(Type.String()),
      lastSyncedAt: Nullable(Timestamp),
      createdAt: Timestamp,
    }),
  ),
  state: Nullable(
    Row({
      state: Type.String(),
      message: Nullable(Type.String()),
      clusterId: Nullable(Type.String()),
      lastAttemptAt: Nullable(Timestamp),
      nextAttemptAt: Nullable(Timestamp),
    }),
  ),
  ledger: Type.Array(
    Row({
      id: Type.Integer(),
      origin: Type.String(),
      zendeskCommentId: Nullable(Type.Integer()),
      autotaskNoteId: Nullable(Type.Integer()),
      part: Type.Integer(),
      state: Type.String(),
      skipReason: Nullable(Type.String()),
      authorName: Nullable(Type.String()),
      isPublic: Nullable(Type.Boolean()),
      preview: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
  problems: Type.Array(Problem),
  runs: Type.Array(Run),
})
export type Timeline = Static<typeof Timeline>

/** The `/:id` of a forced re-sync is a Zendesk ticket id. */
export const ResyncParams = Type.Object({ id: Id('Zendesk ticket id') })
export const ResyncReply = Type.Object({ queued: Type.Literal(true), jobId: Nullable(Type.String()) })
