/**
 * Zendesk's objects in PSA Link's words (camelCase, numeric ids, Date times), mapped from the
 * snake_case JSON in one place so the rest of the code never reads Zendesk's wire shapes.
 */
export interface CustomFieldValue {
  id: number
  value: string | number | boolean | string[] | null
}

export interface ZendeskTicket {
  id: number
  subject: string
  description: string
  /** `deleted` appears only in the incremental export. */
  status: string
  priority: string | null
  type: string | null
  requesterId: number
  submitterId: number | null
  assigneeId: number | null
  externalId: string | null
  tags: string[]
  customFields: CustomFieldValue[]
  createdAt: Date
  updatedAt: Date
  /** When the ticket last changed in any way (the export's ordering key). */
  generatedTimestamp: number | null
  /** The closed ticket this one follows up, read from `via.source` (rel "follow_up"). */
  followUpSourceId: number | null
}

export interface ZendeskComment {
  id: number
  authorId: number
  body: string
  htmlBody: string
  plainBody: string
  public: boolean
  auditId: number | null
  /** Attachments are not synced, but a comment made only of them still becomes a note naming them. */
  attachments: ZendeskAttachment[]
  createdAt: Date
}

export interface ZendeskAttachment {
  id: number
  fileName: string
  contentType: string
  size: number
}

export interface ZendeskUser {
  id: number
  name: string
  email: string | null
  role: string
  active: boolean
  /** The user's API address (`https://<subdomain>.zendesk.com/api/v2/users/<id>.json`): names the account. */
  url?: string
}

export interface ZendeskTicketField {
  id: number
  type: string
  title: string
  active: boolean
}

export interface ZendeskFieldChange {
  type: 'Create' | 'Change'
  fieldName: string
  value: unknown
  previousValue: unknown
}

export interface ZendeskTicketEvent {
  id: number
  ticketId: number
  updaterId: number
  createdAt: Date
  comments: ZendeskComment[]
  changes: ZendeskFieldChange[]
}

export interface ZendeskWebhook {
  /** Webhook ids are strings (ULIDs), unlike the rest of Zendesk's ids. */
  id: string
  name: string
  status: string
  endpoint: string
  subscriptions: string[]
}

type Raw = Record<string, unknown>

const num = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null)
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const date = (value: unknown): Date => new Date(typeof value === 'string' || typeof value === 'number' ? value : 0)

export function toTicket(raw: Raw): ZendeskTicket {
  const customFields = Array.isArray(raw.custom_fields) ? (raw.custom_fields as Raw[]) : []
  return {
    id: num(raw.id) ?? 0,
    subject: str(raw.subject) ?? '',
    description: str(raw.description) ?? '',
    status: str(raw.status) ?? 'new',
    priority: str(raw.priority),
    type: str(raw.type),
    requesterId: num(raw.requester_id) ?? 0,
    submitterId: num(raw.submitter_id),
    assigneeId: num(raw.assignee_id),
    externalId: str(raw.external_id),
    tags: Array.isArray(raw.tags) ? raw.tags.map(String) : [],
    customFields: customFields.map((field) => ({ id: num(field.id) ?? 0, value: (field.value ?? null) as CustomFieldValue['value'] })),
    createdAt: date(raw.created_at),
    updatedAt: date(raw.updated_at),
    generatedTimestamp: num(raw.generated_timestamp),
    followUpSourceId: followUpSourceOf(raw.via),
  }
}

/**
 * A follow-up shows its closed source as `via.source.from.ticket_id` with `rel: "follow_up"`
 * (developer.zendesk.com/documentation/ticketing/reference-guides/via-object-reference).
 * `via_followup_source_id` is only a create parameter ("POST requests only"): reads never carry it.
 */
function followUpSourceOf(via: unknown): number | null {
  const source = (via as Raw | null | undefined)?.source as Raw | null | undefined
  if (!source || source.rel !== 'follow_up') return null
  return num((source.from as Raw | null | undefined)?.ticket_id)
}

export function toComment(raw: Raw): ZendeskComment {
  const body = str(raw.body) ?? ''
  return {
    id: num(raw.id) ?? 0,
    authorId: num(raw.author_id) ?? 0,
    body,
    htmlBody: str(raw.html_body) ?? '',
    plainBody: str(raw.plain_body) ?? body,
    public: raw.public !== false,
    auditId: num(raw.audit_id),
    attachments: (Array.isArray(raw.attachments) ? (raw.attachments as Raw[]) : []).map((attachment) => ({
      id: num(attachment.id) ?? 0,
      fileName: str(attachment.file_name) ?? '',
      contentType: str(attachment.content_type) ?? '',
      size: num(attachment.size) ?? 0,
    })),
    createdAt: date(raw.created_at),
  }
}

export function toUser(raw: Raw): ZendeskUser {
  const url = str(raw.url)
  return {
    id: num(raw.id) ?? 0,
    name: str(raw.name) ?? '',
    email: str(raw.email),
    role: str(raw.role) ?? 'end-user',
    active: raw.active !== false,
    ...(url ? { url } : {}),
  }
}

export function toTicketField(raw: Raw): ZendeskTicketField {
  return { id: num(raw.id) ?? 0, type: str(raw.type) ?? '', title: str(raw.title) ?? '', active: raw.active !== false }
}

export function toTicketEvent(raw: Raw): ZendeskTicketEvent {
  const children = Array.isArray(raw.child_events) ? (raw.child_events as Raw[]) : []
  const createdAt = typeof raw.timestamp === 'number' ? new Date(raw.timestamp * 1000) : date(raw.created_at)
  return {
    id: num(raw.id) ?? 0,
    ticketId: num(raw.ticket_id) ?? 0,
    updaterId: num(raw.updater_id) ?? 0,
    createdAt,
    comments: children
      .filter((child) => child.event_type === 'Comment')
      .map((child) => ({ ...toComment(child), createdAt: child.created_at ? date(child.created_at) : createdAt })),
    changes: children
      .filter((child) => child.event_type === 'Create' || child.event_type === 'Change')
      .map((child) => {
        const fieldName = str(child.field_name) ?? ''
        return {
          type: child.event_type as 'Create' | 'Change',
          fieldName,
          value: child[fieldName] ?? child.value ?? null,
          previousValue: child.previous_value ?? null,
        }
      }),
  }
}

export function toWebhook(raw: Raw): ZendeskWebhook {
  return {
    id: String(raw.id ?? ''),
    name: str(raw.name) ?? '',
    status: str(raw.status) ?? '',
    endpoint: str(raw.endpoint) ?? '',
    subscriptions: Array.isArray(raw.subscriptions) ? raw.subscriptions.map(String) : [],
  }
}
