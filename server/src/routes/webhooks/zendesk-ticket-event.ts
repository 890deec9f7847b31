/** The two things a ticket-event delivery tells PSA Link: which ticket, and who changed it. */
export interface ZendeskTicketEvent {
  ticketId: number
  /** Null when the event does not say (e.g. a trigger-connected webhook with a custom body). */
  actorId: number | null
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

function idOf(value: unknown): number | null {
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null
}

/**
 * Reads an event-subscription payload (`subject: "zen:ticket:<id>"`, `detail.actor_id`); a
 * trigger-connected webhook's custom body may name the ticket as `ticket_id` instead.
 */
export function zendeskTicketEvent(rawBody: Buffer): ZendeskTicketEvent | null {
  let payload: Record<string, unknown> | null
  try {
    payload = asRecord(JSON.parse(rawBody.toString('utf8')))
  } catch {
    return null
  }
  if (!payload) return null
  const detail = asRecord(payload.detail)
  const subject = typeof payload.subject === 'string' ? /^zen:ticket:(\d+)$/.exec(payload.subject)?.[1] : undefined
  const ticketId = idOf(subject) ?? idOf(detail?.id) ?? idOf(payload.ticket_id)
  if (ticketId === null) return null
  const comment = asRecord(asRecord(payload.event)?.comment)
  const actorId = idOf(detail?.actor_id) ?? idOf(asRecord(comment?.author)?.id) ?? idOf(payload.actor_id)
  return { ticketId, actorId }
}
