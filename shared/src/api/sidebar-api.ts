import Type, { type Static } from 'typebox'

/** Every 4xx/5xx answer of the sidebar API and the webhook receiver. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  /** Names what was wrong, e.g. "The token expired at 2026-01-01T10:00:00Z". */
  message: Type.String(),
  code: Type.Optional(Type.String()),
})
export type ApiError = Static<typeof ApiError>

export const TicketParams = Type.Object({
  zendeskTicketId: Type.Integer({ minimum: 1, description: 'The Zendesk ticket id; must equal the token’s ticket_id claim.' }),
})
export type TicketParams = Static<typeof TicketParams>

export const TicketStateQuery = Type.Object({
  notesCursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `notes.nextCursor` of the previous page.' })),
})
export type TicketStateQuery = Static<typeof TicketStateQuery>

export const ManualLinkBody = Type.Object({
  autotaskTicketNumber: Type.String({ pattern: '^T[0-9]{8}\\.[0-9]{4,}$', maxLength: 40, description: 'The Autotask ticket number, e.g. T20261201.0042.' }),
})
export type ManualLinkBody = Static<typeof ManualLinkBody>

export const SyncJobParams = Type.Object({
  jobId: Type.String({ minLength: 1, maxLength: 64 }),
})
export type SyncJobParams = Static<typeof SyncJobParams>

export const WebhookParams = Type.Object({
  accountId: Type.Integer({ minimum: 1 }),
})
export type WebhookParams = Static<typeof WebhookParams>

/** What the webhook receiver answers Zendesk: a sync was queued, or the event was ignored (and why). */
export const WebhookReceipt = Type.Object({
  status: Type.Union([Type.Literal('queued'), Type.Literal('ignored')]),
  jobId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
})
export type WebhookReceipt = Static<typeof WebhookReceipt>
