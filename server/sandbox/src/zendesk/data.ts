import { convert as htmlToText } from 'html-to-text'
import type { EmulatorClock } from './clock'
import { EmulatorError, recordInvalid, recordNotFound } from './errors'
import type { FieldProblem } from './errors'

/**
 * The emulator's account: users, ticket fields, tickets with their comments and audits. Every
 * change goes through here, so the export sequence, audits and webhook events stay consistent.
 */
export type UserRole = 'end-user' | 'agent' | 'admin'
export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed'
export type TicketPriority = 'urgent' | 'high' | 'normal' | 'low'

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed']
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low']
const TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const

export interface EmulatorUser {
  id: number
  name: string
  email: string
  role: UserRole
  active: boolean
  createdAt: Date
  updatedAt: Date
}

export interface EmulatorTicketField {
  id: number
  type: string
  title: string
  description: string
  active: boolean
  required: boolean
  position: number
  createdAt: Date
  updatedAt: Date
}

export interface EmulatorAttachment {
  id: number
  fileName: string
  contentType: string
  size: number
}

export interface EmulatorComment {
  id: number
  authorId: number
  body: string
  htmlBody: string
  public: boolean
  attachments: EmulatorAttachment[]
  auditId: number
  createdAt: Date
}

export type AuditEvent =
  | { id: number; type: 'Comment'; comment: EmulatorComment }
  | { id: number; type: 'Create' | 'Change'; fieldName: string; value: unknown; previousValue?: unknown }

export interface EmulatorAudit {
  id: number
  ticketId: number
  authorId: number
  createdAt: Date
  events: AuditEvent[]
}

export interface EmulatorTicket {
  id: number
  subject: string
  description: string
  status: TicketStatus
  priority: TicketPriority | null
  type: string | null
  requesterId: number
  submitterId: number
  assigneeId: number | null
  externalId: string | null
  tags: string[]
  customFields: Map<number, string | null>
  createdAt: Date
  updatedAt: Date
  /** When the ticket last changed in any way; the incremental export is ordered by it. */
  generatedAt: Date
  /** Position in the change log: a cursor is "after this sequence number". */
  exportSequence: number
  comments: EmulatorComment[]
  deleted: boolean
  followupSourceId: number | null
}

export interface CommentInput {
  body?: string
  htmlBody?: string
  public?: boolean
  authorId?: number
  /** Programmatic only (the API would take upload tokens): files shown on the comment. */
  attachments?: Array<{ fileName: string; contentType?: string; size?: number }>
}

export interface TicketChanges {
  subject?: string
  status?: string
  priority?: string | null
  type?: string | null
  assigneeId?: number | null
  externalId?: string | null
  tags?: string[]
  customFields?: Array<{ id: number; value: unknown }>
  comment?: CommentInput
  safeUpdate?: { updatedStamp: string }
}

export interface TicketCreateInput extends TicketChanges {
  requesterId?: number
  submitterId?: number
  /** A follow-up of this closed ticket (Zendesk's `via_followup_source_id`). */
  followupSourceId?: number
}

/** What a change did, for the caller (the update response) and for the webhooks. */
export interface TicketChangeResult {
  ticket: EmulatorTicket
  audit: EmulatorAudit
  comment: EmulatorComment | null
  created: boolean
  changedFields: string[]
  actorId: number
}

export const MAX_COMMENTS_PER_TICKET = 5000

export interface ZendeskStore {
  readonly users: Map<number, EmulatorUser>
  readonly ticketFields: Map<number, EmulatorTicketField>
  readonly tickets: Map<number, EmulatorTicket>
  readonly audits: EmulatorAudit[]
  createUser(input: { name: string; email: string; role: UserRole }): EmulatorUser
  createTicketField(input: { type?: unknown; title?: unknown; description?: unknown }): EmulatorTicketField
  createTicket(input: TicketCreateInput, actorId: number): TicketChangeResult
  updateTicket(ticketId: number, changes: TicketChanges, actorId: number): TicketChangeResult
  deleteTicket(ticketId: number, actorId: number): EmulatorTicket
  mergeTickets(sourceIds: number[], targetId: number, actorId: number): TicketChangeResult[]
  findTicket(ticketId: number): EmulatorTicket
  nextExportSequence(): number
  /** Listeners see every change; the webhooks subscribe here. */
  onChange(listener: (change: TicketChangeResult) => void): void
  /**
   * Runs `work` as old history (the sandbox's "seed historical tickets"): its changes take export
   * positions before every live one and reach no listener, so only a backfill from a past start
   * time finds them, as with tickets older than an integration.
   */
  importHistory(work: () => void): void
}

/** The first export position of live changes; the positions below are for imported history. */
export const LIVE_EXPORT_SEQUENCE_START = 1_000_000

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Zendesk renders a plain comment as paragraphs inside its own wrapper. */
function plainToHtml(body: string): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')
  return `<div class="zd-comment" dir="auto">${paragraphs}</div>`
}

/** Zendesk's built-in fields, listed by the ticket fields API but not settable as custom fields. */
export const SYSTEM_FIELD_TYPES: readonly string[] = ['subject', 'description', 'status', 'tickettype', 'priority', 'group', 'assignee']

export function createZendeskStore(clock: EmulatorClock): ZendeskStore {
  const users = new Map<number, EmulatorUser>()
  const ticketFields = new Map<number, EmulatorTicketField>()
  const tickets = new Map<number, EmulatorTicket>()
  const audits: EmulatorAudit[] = []
  const listeners: Array<(change: TicketChangeResult) => void> = []
  // Zendesk ticket ids are small per-account numbers; other ids are large and account-wide.
  let nextTicketId = 1
  let nextObjectId = 10_000_000_001
  let exportSequence = LIVE_EXPORT_SEQUENCE_START
  // History imported later (importHistory) takes the positions below the live ones, as if it had
  // happened before any client began reading the export.
  let historySequence = 0
  let importingHistory = false

  const newObjectId = (): number => nextObjectId++
  const nextExportSequence = (): number => (importingHistory ? ++historySequence : ++exportSequence)

  function findTicket(ticketId: number): EmulatorTicket {
    const ticket = tickets.get(ticketId)
    if (!ticket || ticket.deleted) throw recordNotFound()
    return ticket
  }

  function userOrInvalid(userId: number, field: string, problems: Record<string, FieldProblem[]>): void {
    if (!users.has(userId)) {
      problems[field] = [{ description: `${field}: is invalid`, error: 'InvalidValue' }]
    }
  }

  function validateChanges(changes: TicketChanges, problems: Record<string, FieldProblem[]>): void {
    if (changes.status !== undefined && !TICKET_STATUSES.includes(changes.status as TicketStatus)) {
      problems.status = [{ description: `Status: ${String(changes.status)} is not valid`, error: 'InvalidValue' }]
    }
    if (changes.priority !== undefined && changes.priority !== null && !TICKET_PRIORITIES.includes(changes.priority as TicketPriority)) {
      problems.priority = [{ description: `Priority: ${String(changes.priority)} is not valid`, error: 'InvalidValue' }]
    }
    if (changes.type !== undefined && changes.type !== null && !(TICKET_TYPES as readonly string[]).includes(changes.type)) {
      problems.type = [{ description: `Type: ${String(changes.type)} is not valid`, error: 'InvalidValue' }]
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== null) {
      const assignee = users.get(changes.assigneeId)
      if (!assignee || assignee.role === 'end-user') {
        problems.assignee = [{ description: 'Assignee: is not an agent', error: 'InvalidValue' }]
      }
    }
    if (changes.comment) {
      const text = changes.comment.htmlBody ?? changes.comment.body ?? ''
      if (text.trim() === '' && (changes.comment.attachments ?? []).length === 0) {
        problems.base = [{ description: 'Comment: cannot be blank', error: 'BlankValue' }]
      }
      if (changes.comment.authorId !== undefined) userOrInvalid(changes.comment.authorId, 'author_id', problems)
    }
  }

  function makeComment(input: CommentInput, authorId: number, auditId: number, at: Date): EmulatorComment {
    const htmlBody = input.htmlBody ?? plainToHtml(input.body ?? '')
    const body = input.htmlBody !== undefined ? htmlToText(input.htmlBody, { wordwrap: false }).trim() : (input.body ?? '')
    const attachments = (input.attachments ?? []).map((file) => ({
      id: newObjectId(),
      fileName: file.fileName,
      contentType: file.contentType ?? 'application/octet-stream',
      size: file.size ?? 1024,
    }))
    return { id: newObjectId(), authorId, body, htmlBody, public: input.public ?? true, attachments, auditId, createdAt: at }
  }

  function applyFieldChanges(ticket: EmulatorTicket, changes: TicketChanges, audit: EmulatorAudit, creating: boolean): string[] {
    const changed: string[] = []
    const record = (fieldName: string, value: unknown, previousValue: unknown): void => {
      changed.push(fieldName)
      audit.events.push(
        creating ? { id: newObjectId(), type: 'Create', fieldName, value } : { id: newObjectId(), type: 'Change', fieldName, value, previousValue },
      )
    }
    if (changes.subject !== undefined && changes.subject !== ticket.subject) {
      record('subject', changes.subject, ticket.subject)
      ticket.subject = changes.subject
    }
    if (changes.status !== undefined && changes.status !== ticket.status) {
      record('status', changes.status, ticket.status)
      ticket.status = changes.status as TicketStatus
    }
    if (changes.priority !== undefined && changes.priority !== ticket.priority) {
      record('priority', changes.priority, ticket.priority)
      ticket.priority = changes.priority as TicketPriority | null
    }
    if (changes.type !== undefined && changes.type !== ticket.type) {
      record('type', changes.type, ticket.type)
      ticket.type = changes.type
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== ticket.assigneeId) {
      record('assignee_id', changes.assigneeId, ticket.assigneeId)
      ticket.assigneeId = changes.assigneeId
    }
    if (changes.externalId !== undefined && changes.externalId !== ticket.externalId) {
      record('external_id', changes.externalId, ticket.externalId)
      ticket.externalId = changes.externalId
    }
    if (changes.tags !== undefined) {
      const tags = [...new Set(changes.tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))]
      if (tags.join(' ') !== ticket.tags.join(' ')) {
        record('tags', tags, ticket.tags)
        ticket.tags = tags
      }
    }
    for (const { id, value } of changes.customFields ?? []) {
      // Zendesk ignores values for fields it does not know.
      const field = ticketFields.get(id)
      if (!field || SYSTEM_FIELD_TYPES.includes(field.type)) continue
      const next = value === null || value === undefined || value === '' ? null : String(value)
      const previous = ticket.customFields.get(id) ?? null
      if (next !== previous) {
        record(String(id), next, previous)
        ticket.customFields.set(id, next)
      }
    }
    return changed
  }

  function commit(ticket: EmulatorTicket, audit: EmulatorAudit, at: Date): void {
    ticket.updatedAt = at
    ticket.generatedAt = at
    ticket.exportSequence = nextExportSequence()
    audits.push(audit)
  }

  function publish(change: TicketChangeResult): TicketChangeResult {
    // History happened before anyone subscribed: no webhook hears of it.
    if (importingHistory) return change
    for (const listener of listeners) listener(change)
    return change
  }

  return {
    users,
    ticketFields,
    tickets,
    audits,
    nextExportSequence,
    findTicket,
    onChange(listener) {
      listeners.push(listener)
    },
    importHistory(work) {
      importingHistory = true
      try {
        work()
      } finally {
        importingHistory = false
      }
    },

    createUser({ name, email, role }) {
      const at = clock.now()
      const user: EmulatorUser = { id: newObjectId(), name, email, role, active: true, createdAt: at, updatedAt: at }
      users.set(user.id, user)
      return user
    },

    createTicketField(input) {
      const problems: Record<string, FieldProblem[]> = {}
      const title = typeof input.title === 'string' ? input.title.trim() : ''
      const type = typeof input.type === 'string' ? input.type : ''
      if (title === '') problems.title = [{ description: 'Title: cannot be blank', error: 'BlankValue' }]
      const creatable = ['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'partialcreditcard', 'multiselect', 'tagger', 'lookup']
      if (!creatable.includes(type)) {
        problems.type = [{ description: `Type: ${type || 'blank'} is not a valid field type`, error: 'InvalidValue' }]
      }
      if (Object.keys(problems).length > 0) throw recordInvalid(problems)
      const at = clock.now()
      const field: EmulatorTicketField = {
        id: newObjectId(),
        type,
        title,
        description: typeof input.description === 'string' ? input.description : '',
        active: true,
        required: false,
        position: 9999,
        createdAt: at,
        updatedAt: at,
      }
      ticketFields.set(field.id, field)
      return field
    },

    createTicket(input, actorId) {
      const problems: Record<string, FieldProblem[]> = {}
      validateChanges(input, problems)
      if (!input.comment || (input.comment.htmlBody ?? input.comment.body ?? '').trim() === '') {
        problems.description = [{ description: 'Description: cannot be blank', error: 'BlankValue' }]
        delete problems.base
      }
      const requesterId = input.requesterId ?? actorId
      userOrInvalid(requesterId, 'requester', problems)
      // "The parameter only works with closed tickets. It has no effect with other tickets."
      // (Creating a follow-up ticket, creating-and-updating-tickets): no error, just no follow-up.
      const source = input.followupSourceId === undefined ? undefined : tickets.get(input.followupSourceId)
      const followupSourceId = source && source.status === 'closed' && !source.deleted ? source.id : null
      if (Object.keys(problems).length > 0) throw recordInvalid(problems)
      const at = clock.now()
      const audit: EmulatorAudit = { id: newObjectId(), ticketId: nextTicketId, authorId: actorId, createdAt: at, events: [] }
      const comment = makeComment(input.comment ?? {}, input.comment?.authorId ?? actorId, audit.id, at)
      const ticket: EmulatorTicket = {
        id: nextTicketId++,
        subject: '',
        description: comment.body,
        status: 'new',
        priority: null,
        type: null,
        requesterId,
        submitterId: input.submitterId ?? comment.authorId,
        assigneeId: null,
        externalId: null,
        tags: [],
        customFields: new Map(),
        createdAt: at,
        updatedAt: at,
        generatedAt: at,
        exportSequence: 0,
        comments: [comment],
        deleted: false,
        followupSourceId,
      }
      audit.events.push({ id: newObjectId(), type: 'Comment', comment })
      const changedFields = applyFieldChanges(ticket, { ...input, status: input.status ?? 'new' }, audit, true)
      if (!changedFields.includes('status')) {
        audit.events.push({ id: newObjectId(), type: 'Create', fieldName: 'status', value: 'new' })
      }
      tickets.set(ticket.id, ticket)
      commit(ticket, audit, at)
      return publish({ ticket, audit, comment, created: true, changedFields, actorId })
    },

    updateTicket(ticketId, changes, actorId) {
      const ticket = findTicket(ticketId)
      if (changes.safeUpdate && Date.parse(changes.safeUpdate.updatedStamp) !== Math.floor(ticket.updatedAt.getTime() / 1000) * 1000) {
        throw new EmulatorError(409, {
          error: 'UpdateConflict',
          description: 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
        })
      }
      if (ticket.status === 'closed') {
        throw recordInvalid({ status: [{ description: 'Status: closed prevents ticket update' }] })
      }
      const problems: Record<string, FieldProblem[]> = {}
      validateChanges(changes, problems)
      if (changes.comment && ticket.comments.length >= MAX_COMMENTS_PER_TICKET) {
        problems.base = [{ description: `Comments: the maximum of ${MAX_COMMENTS_PER_TICKET} comments per ticket has been reached`, error: 'TooManyComments' }]
      }
      if (Object.keys(problems).length > 0) throw recordInvalid(problems)
      const at = clock.now()
      const audit: EmulatorAudit = { id: newObjectId(), ticketId, authorId: actorId, createdAt: at, events: [] }
      let comment: EmulatorComment | null = null
      if (changes.comment) {
        comment = makeComment(changes.comment, changes.comment.authorId ?? actorId, audit.id, at)
        ticket.comments.push(comment)
        audit.events.push({ id: newObjectId(), type: 'Comment', comment })
      }
      const changedFields = applyFieldChanges(ticket, changes, audit, false)
      if (comment && ticket.status === 'new' && changes.status === undefined) {
        // An agent's reply opens a new ticket, as in the agent workspace.
        const author = users.get(comment.authorId)
        if (author && author.role !== 'end-user') changedFields.push(...applyFieldChanges(ticket, { status: 'open' }, audit, false))
      }
      if (audit.events.length === 0) return { ticket, audit, comment: null, created: false, changedFields: [], actorId }
      commit(ticket, audit, at)
      return publish({ ticket, audit, comment, created: false, changedFields, actorId })
    },

    deleteTicket(ticketId, actorId) {
      const ticket = findTicket(ticketId)
      const at = clock.now()
      ticket.deleted = true
      const audit: EmulatorAudit = {
        id: newObjectId(),
        ticketId,
        authorId: actorId,
        createdAt: at,
        events: [{ id: newObjectId(), type: 'Change', fieldName: 'status', value: 'deleted', previousValue: ticket.status }],
      }
      commit(ticket, audit, at)
      publish({ ticket, audit, comment: null, created: false, changedFields: ['deleted'], actorId })
      return ticket
    },

    mergeTickets(sourceIds, targetId, actorId) {
      const target = findTicket(targetId)
      const results: TicketChangeResult[] = []
      for (const sourceId of sourceIds) {
        const source = findTicket(sourceId)
        results.push(
          this.updateTicket(
            sourceId,
            {
              status: 'closed',
              tags: [...source.tags, 'closed_by_merge'],
              comment: { body: `This request was closed and merged into request #${target.id} "${target.subject}".`, public: false },
            },
            actorId,
          ),
        )
        results.push(
          this.updateTicket(
            targetId,
            { comment: { body: `Request #${source.id} "${source.subject}" was closed and merged into this request.`, public: false } },
            actorId,
          ),
        )
      }
      return results
    },
  }
}
