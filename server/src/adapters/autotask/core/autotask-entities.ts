import type { IntegrationError } from '../../../errors/integration-error'

/**
 * Autotask's entities as both transports' clients read and write them: camelCase, UTC `Date`s,
 * picklists as their numeric values, every field kept (SOAP and REST both call these records
 * entities). The engine's own, smaller records of the same things are in
 * sync/ports/autotask-gateway.ts; core/engine-records.ts turns these into those.
 */

/** A raw Autotask field value, typed by its xsi:type; datetimes already converted to UTC. */
export type AutotaskFieldValue = string | number | boolean | Date | null

export type AutotaskUserDefinedFields = Record<string, string | null>

/**
 * A ticket scan's condition that leaves out, on Autotask's side, tickets whose last activity was
 * `resourceId`'s (PSA Link's own writes), except `exceptTicketIds`. Ticket.LastActivityResourceID
 * is queryable (SOAP field info 1.6.8; REST names it lastActivityResourceID); a ticket without one
 * stays in, as NotEqual alone would drop it (a guess at how Autotask treats null, as for notes).
 */
export interface OwnActivityLeftOut {
  resourceId: number
  exceptTicketIds: readonly number[]
}

export interface AutotaskTicketEntity {
  id: number
  ticketNumber: string
  title: string
  description: string
  accountId: number
  installedProductId: number | null
  status: number
  priority: number
  queueId: number | null
  dueDateTime: Date | null
  source: number | null
  ticketType: number | null
  externalId: string
  createDate: Date | null
  lastActivityDate: Date | null
  completedDate: Date | null
  userDefinedFields: AutotaskUserDefinedFields
  /**
   * Every other field exactly as Autotask returned it (SOAP names). update() sends them back:
   * Autotask clears any writable field an update leaves out, e.g. a technician's assignment.
   */
  otherFields: Record<string, AutotaskFieldValue>
}

export interface NewAutotaskTicketEntity {
  title: string
  description?: string
  accountId: number
  installedProductId?: number | null
  status: number
  priority: number
  queueId?: number | null
  dueDateTime?: Date | null
  source?: number | null
  ticketType?: number | null
  externalId?: string
  userDefinedFields?: AutotaskUserDefinedFields
  /** Further fields a tenant requires (e.g. IssueType for a ticket category), SOAP names. */
  otherFields?: Record<string, AutotaskFieldValue>
}

export interface AutotaskTicketNoteEntity {
  id: number
  ticketId: number
  title: string
  description: string
  noteType: number
  publish: number
  creatorResourceId: number | null
  createDateTime: Date | null
  lastActivityDate: Date | null
}

/** A note just created: what was sent and the id Autotask gave it (Autotask computes the rest on save). */
export type CreatedAutotaskTicketNoteEntity = NewAutotaskTicketNoteEntity & { id: number }

export interface NewAutotaskTicketNoteEntity {
  ticketId: number
  title?: string
  description: string
  noteType: number
  publish: number
}

export interface AutotaskInstalledProductEntity {
  id: number
  referenceNumber: string
  accountId: number
  active: boolean
  lastModifiedTime: Date | null
}

export interface AutotaskAccountEntity {
  id: number
  accountName: string
}

export interface AutotaskResourceEntity {
  id: number
  firstName: string
  lastName: string
  email: string
  userName: string
}

export interface AutotaskPicklistEntry {
  value: number
  label: string
  isActive: boolean
  isDefault: boolean
  sortOrder: number
  parentValue: number | null
}

export interface AutotaskFieldInfo {
  name: string
  label: string
  type: string
  length: number
  isRequired: boolean
  isReadOnly: boolean
  isQueryable: boolean
  isReference: boolean
  referenceEntityType: string | null
  isPickList: boolean
  picklistParentValueField: string | null
  picklistValues: AutotaskPicklistEntry[]
}

export interface AutotaskThresholdInfo {
  threshold: number
  timeframeMinutes: number
  requestsInTimeframe: number
}

/** Outcome of one item of a create or update, in input order: the saved entity, or why not. */
export type EntityWriteResult<T> = { ok: true; entity: T } | { ok: false; error: IntegrationError }
