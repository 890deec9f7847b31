/** Autotask records in PSA Link's words: camelCase, UTC `Date`s, picklists as their numeric values. */

/** A raw Autotask field value, typed by its xsi:type; datetimes already converted to UTC. */
export type AutotaskFieldValue = string | number | boolean | Date | null

export type AutotaskUserDefinedFields = Record<string, string | null>

export interface AutotaskTicket {
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

export interface NewAutotaskTicket {
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

export interface AutotaskTicketNote {
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
export type CreatedAutotaskTicketNote = NewAutotaskTicketNote & { id: number }

export interface NewAutotaskTicketNote {
  ticketId: number
  title?: string
  description: string
  noteType: number
  publish: number
}

export interface AutotaskInstalledProduct {
  id: number
  referenceNumber: string
  accountId: number
  active: boolean
  lastModifiedTime: Date | null
}

export interface AutotaskAccount {
  id: number
  accountName: string
}

export interface AutotaskResource {
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
