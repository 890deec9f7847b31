import type { AuditEvent, EmulatorAudit, EmulatorComment, EmulatorTicket, EmulatorTicketField, EmulatorUser, ZendeskStore } from './data'
import { SYSTEM_FIELD_TYPES } from './data'

/**
 * Zendesk's JSON shapes (snake_case, ISO times without milliseconds), so existing Zendesk client
 * code (node-zendesk, zendesk_api_client_rb) reads the emulator unchanged.
 */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

const apiVia = { channel: 'api', source: { from: {}, to: {}, rel: null } }

/**
 * How a ticket came to be. A follow-up of a closed ticket shows it in `via.source` (rel
 * "follow_up", from.ticket_id/subject; Via object reference): `via_followup_source_id` is a
 * create-only parameter ("POST requests only" in Zendesk's OpenAPI) and never appears on a read.
 */
function ticketVia(ticket: EmulatorTicket, store: ZendeskStore): Record<string, unknown> {
  if (ticket.followupSourceId === null) return apiVia
  const source = store.tickets.get(ticket.followupSourceId)
  return {
    channel: 'api',
    source: { from: { ticket_id: ticket.followupSourceId, subject: source?.subject ?? '' }, to: {}, rel: 'follow_up' },
  }
}

/** The follow-ups made from a ticket; Zendesk shows them only once the ticket is closed. */
function followupIds(ticket: EmulatorTicket, store: ZendeskStore): number[] {
  if (ticket.status !== 'closed') return []
  return [...store.tickets.values()].filter((candidate) => candidate.followupSourceId === ticket.id).map((candidate) => candidate.id)
}

export function presentUser(user: EmulatorUser, apiBase: string): Record<string, unknown> {
  return {
    id: user.id,
    url: `${apiBase}/api/v2/users/${user.id}.json`,
    name: user.name,
    email: user.email,
    created_at: isoSeconds(user.createdAt),
    updated_at: isoSeconds(user.updatedAt),
    time_zone: 'UTC',
    iana_time_zone: 'Etc/UTC',
    phone: null,
    photo: null,
    locale: 'en-US',
    locale_id: 1,
    organization_id: null,
    role: user.role,
    role_type: null,
    verified: true,
    external_id: null,
    tags: [],
    alias: '',
    active: user.active,
    shared: false,
    suspended: false,
    restricted_agent: user.role === 'end-user',
    user_fields: {},
  }
}

export function presentTicketField(field: EmulatorTicketField, apiBase: string): Record<string, unknown> {
  return {
    url: `${apiBase}/api/v2/ticket_fields/${field.id}.json`,
    id: field.id,
    type: field.type,
    title: field.title,
    raw_title: field.title,
    description: field.description,
    raw_description: field.description,
    position: field.position,
    active: field.active,
    required: field.required,
    collapsed_for_agents: false,
    regexp_for_validation: null,
    title_in_portal: field.title,
    raw_title_in_portal: field.title,
    visible_in_portal: SYSTEM_FIELD_TYPES.includes(field.type),
    editable_in_portal: false,
    required_in_portal: false,
    tag: null,
    created_at: isoSeconds(field.createdAt),
    updated_at: isoSeconds(field.updatedAt),
    removable: !SYSTEM_FIELD_TYPES.includes(field.type),
    key: null,
    agent_description: null,
  }
}

export function presentComment(comment: EmulatorComment, apiBase = ''): Record<string, unknown> {
  return {
    id: comment.id,
    type: 'Comment',
    author_id: comment.authorId,
    body: comment.body,
    html_body: comment.htmlBody,
    plain_body: comment.body,
    public: comment.public,
    attachments: comment.attachments.map((attachment) => ({
      id: attachment.id,
      url: `${apiBase}/api/v2/attachments/${attachment.id}.json`,
      file_name: attachment.fileName,
      content_url: `${apiBase}/attachments/token/${attachment.id}/?name=${encodeURIComponent(attachment.fileName)}`,
      content_type: attachment.contentType,
      size: attachment.size,
      inline: false,
      deleted: false,
    })),
    audit_id: comment.auditId,
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    created_at: isoSeconds(comment.createdAt),
    metadata: { system: {}, custom: {} },
  }
}

export function presentTicket(ticket: EmulatorTicket, store: ZendeskStore, apiBase: string): Record<string, unknown> {
  const customFields = [...store.ticketFields.values()]
    .filter((field) => !SYSTEM_FIELD_TYPES.includes(field.type))
    .map((field) => ({ id: field.id, value: ticket.customFields.get(field.id) ?? null }))
  return {
    url: `${apiBase}/api/v2/tickets/${ticket.id}.json`,
    id: ticket.id,
    external_id: ticket.externalId,
    via: ticketVia(ticket, store),
    created_at: isoSeconds(ticket.createdAt),
    updated_at: isoSeconds(ticket.updatedAt),
    generated_timestamp: unixSeconds(ticket.generatedAt),
    type: ticket.type,
    subject: ticket.subject,
    raw_subject: ticket.subject,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.deleted ? 'deleted' : ticket.status,
    recipient: null,
    requester_id: ticket.requesterId,
    submitter_id: ticket.submitterId,
    assignee_id: ticket.assigneeId,
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: ticket.comments.some((comment) => comment.public),
    due_at: null,
    tags: ticket.tags,
    custom_fields: customFields,
    fields: customFields,
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    custom_status_id: null,
    followup_ids: followupIds(ticket, store),
    ticket_form_id: null,
    brand_id: null,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  }
}

/** A ticket as its requester sees it through the Requests API. */
export function presentRequest(ticket: EmulatorTicket, store: ZendeskStore, apiBase: string): Record<string, unknown> {
  const customFields = [...store.ticketFields.values()]
    .filter((field) => !SYSTEM_FIELD_TYPES.includes(field.type))
    .map((field) => ({ id: field.id, value: ticket.customFields.get(field.id) ?? null }))
  return {
    url: `${apiBase}/api/v2/requests/${ticket.id}.json`,
    id: ticket.id,
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    subject: ticket.subject,
    description: ticket.description,
    organization_id: null,
    via: ticketVia(ticket, store),
    custom_fields: customFields,
    requester_id: ticket.requesterId,
    collaborator_ids: [],
    email_cc_ids: [],
    is_public: ticket.comments.some((comment) => comment.public),
    due_at: null,
    can_be_solved_by_me: false,
    created_at: isoSeconds(ticket.createdAt),
    updated_at: isoSeconds(ticket.updatedAt),
    recipient: null,
    followup_source_id: ticket.followupSourceId,
    assignee_id: ticket.assigneeId,
    ticket_form_id: null,
    group_id: null,
    custom_status_id: null,
    solved: ticket.status === 'solved' || ticket.status === 'closed',
  }
}

function presentAuditEvent(event: AuditEvent): Record<string, unknown> {
  if (event.type === 'Comment') return { ...presentComment(event.comment), id: event.comment.id }
  return {
    id: event.id,
    type: event.type,
    field_name: event.fieldName,
    value: event.value,
    ...(event.type === 'Change' ? { previous_value: event.previousValue } : {}),
  }
}

export function presentAudit(audit: EmulatorAudit): Record<string, unknown> {
  return {
    id: audit.id,
    ticket_id: audit.ticketId,
    created_at: isoSeconds(audit.createdAt),
    author_id: audit.authorId,
    metadata: { system: { client: 'PSA Link sandbox', ip_address: '127.0.0.1' }, custom: {} },
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    events: audit.events.map(presentAuditEvent),
  }
}

/** A child event of the incremental ticket events export. */
export function presentChildEvent(event: AuditEvent): Record<string, unknown> {
  if (event.type === 'Comment') {
    return { ...presentComment(event.comment), event_type: 'Comment', via_reference_id: null }
  }
  return {
    id: event.id,
    via: 'Web service',
    via_reference_id: null,
    event_type: event.type,
    field_name: event.fieldName,
    ...(event.type === 'Change' ? { previous_value: event.previousValue } : {}),
    [event.fieldName]: event.value,
  }
}
