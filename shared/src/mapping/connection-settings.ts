import Type, { type Static } from 'typebox'

export const ZENDESK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type ZendeskPriority = (typeof ZENDESK_PRIORITIES)[number]

export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const
export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number]

const PicklistId = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])
const byPriority = Type.Object(Object.fromEntries(ZENDESK_PRIORITIES.map((key) => [key, Type.Optional(PicklistId)])))
const byStatus = Type.Object(Object.fromEntries(ZENDESK_STATUSES.map((key) => [key, Type.Optional(PicklistId)])))
const hoursByPriority = Type.Object(
  Object.fromEntries(ZENDESK_PRIORITIES.map((key) => [key, Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 8760 }))])),
)

/**
 * One Autotask connection's mapping settings, as an admin saves them. Picklist ids left out (or
 * null) fall back to the default *labels* (server/src/sync/README.md R4), resolved against the live picklists:
 * ids differ per Autotask database, labels mostly do not.
 */
export const ConnectionSettings = Type.Object({
  priority: Type.Optional(byPriority),
  /** Used when a Zendesk ticket has no priority. Default: the picklist value labelled Medium. */
  defaultPriority: Type.Optional(PicklistId),
  status: Type.Optional(byStatus),
  queueId: Type.Optional(PicklistId),
  sourceId: Type.Optional(PicklistId),
  ticketTypeId: Type.Optional(PicklistId),
  noteTypeId: Type.Optional(PicklistId),
  /** Due date = creation + these hours. Default 24 h, urgent 4 h. */
  dueHours: Type.Optional(hoursByPriority),
  /** Autotask note types mirrored to Zendesk; default: all but workflow-rule, RMM, survey and merge notes. */
  noteTypesToZendesk: Type.Optional(Type.Union([Type.Array(Type.Integer()), Type.Null()])),
  /** Notes published to All Autotask Users become public Zendesk comments only when true. */
  publicNotesToZendesk: Type.Optional(Type.Boolean()),
  /** Create Autotask tickets for Zendesk tickets that are already solved or closed (backfills). */
  createForSolved: Type.Optional(Type.Boolean()),
})
export type ConnectionSettings = Static<typeof ConnectionSettings>

export const DEFAULT_PRIORITY_LABELS: Record<ZendeskPriority, string> = {
  low: 'Low',
  normal: 'Medium',
  high: 'High',
  urgent: 'Critical',
}

export const DEFAULT_STATUS_LABELS: Record<ZendeskStatus, string> = {
  new: 'New',
  open: 'In Progress',
  pending: 'Waiting Customer',
  hold: 'Waiting Vendor',
  solved: 'Complete',
  closed: 'Complete',
}

export const DEFAULT_DUE_HOURS: Record<ZendeskPriority, number> = { low: 24, normal: 24, high: 24, urgent: 4 }

/** Note types that would spam a Zendesk ticket, excluded unless an admin lists them. */
export const EXCLUDED_NOTE_TYPE_LABEL = /workflow|rmm|survey|merge|absorbed/i

/** Publish values of TicketNote (system values, the same in every Autotask database). */
export const NOTE_PUBLISH = { allAutotaskUsers: 1, internalOnly: 2 } as const
