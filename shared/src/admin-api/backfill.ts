import Type, { type Static } from 'typebox'
import { Flag, Nullable, Row, Text } from './fields'
import { Backfill } from './monitor'

export const BackfillBody = Type.Object({
  startDate: Text('Start date', { max: 40 }),
  includeSolved: Type.Optional(Flag('Include solved tickets')),
  /** The dry run's estimate, kept with the backfill to compare against what it did. */
  estimate: Type.Optional(
    Nullable(Row({ routedTickets: Type.Integer({ minimum: 0 }), notes: Type.Integer({ minimum: 0 }), autotaskRequests: Type.Integer({ minimum: 0 }) })),
  ),
})
export type BackfillBody = Static<typeof BackfillBody>

/** What a dry run counted, and what it means in hours of PSA Link's share of the Autotask budget. */
export const BackfillEstimate = Row({
  tickets: Type.Integer(),
  routedTickets: Type.Integer(),
  unroutedTickets: Type.Integer(),
  notes: Type.Integer(),
  alreadyLinked: Type.Integer(),
  skippedSolved: Type.Integer(),
  withoutClusterId: Type.Integer(),
  autotaskRequests: Type.Integer(),
  zendeskRequests: Type.Integer(),
  hourlyLimit: Type.Number(),
  estimatedHours: Type.Number(),
  /** Routed tickets whose comments were read; notes are extrapolated from them when fewer than routedTickets. */
  sampledTickets: Type.Integer(),
})
export type BackfillEstimate = Static<typeof BackfillEstimate>

/** A dry run job as the backend reports it while it counts. */
export const DryRun = Type.Object({
  id: Type.Integer(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  progress: Type.Object({ pages: Type.Integer(), ticketsScanned: Type.Integer() }),
  error: Nullable(Type.String()),
  estimate: Nullable(BackfillEstimate),
})
export type DryRun = Static<typeof DryRun>

export const BackfillList = Type.Object({ backfills: Type.Array(Backfill) })
