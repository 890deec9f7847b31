import type {
  AutotaskAccountEntity,
  AutotaskFieldValue,
  AutotaskInstalledProductEntity,
  AutotaskResourceEntity,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
} from '../core/autotask-entities'
import type { RawEntity } from './soap-entities'

/** Between Autotask's SOAP field names and PSA Link's domain records. */

function text(value: AutotaskFieldValue | undefined): string {
  return value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value)
}

function numberOrNull(value: AutotaskFieldValue | undefined): number | null {
  return typeof value === 'number' ? value : null
}

function dateOrNull(value: AutotaskFieldValue | undefined): Date | null {
  return value instanceof Date ? value : null
}

const ticketFieldNames = [
  'TicketNumber',
  'Title',
  'Description',
  'AccountID',
  'InstalledProductID',
  'Status',
  'Priority',
  'QueueID',
  'DueDateTime',
  'Source',
  'TicketType',
  'ExternalID',
  'CreateDate',
  'LastActivityDate',
  'CompletedDate',
]

export function ticketFromRaw(raw: RawEntity): AutotaskTicketEntity {
  const f = raw.fields
  const otherFields: Record<string, AutotaskFieldValue> = {}
  for (const [name, value] of Object.entries(f)) if (!ticketFieldNames.includes(name)) otherFields[name] = value
  return {
    id: raw.id,
    ticketNumber: text(f.TicketNumber),
    title: text(f.Title),
    description: text(f.Description),
    accountId: numberOrNull(f.AccountID) ?? 0,
    installedProductId: numberOrNull(f.InstalledProductID),
    status: numberOrNull(f.Status) ?? 0,
    priority: numberOrNull(f.Priority) ?? 0,
    queueId: numberOrNull(f.QueueID),
    dueDateTime: dateOrNull(f.DueDateTime),
    source: numberOrNull(f.Source),
    ticketType: numberOrNull(f.TicketType),
    externalId: text(f.ExternalID),
    createDate: dateOrNull(f.CreateDate),
    lastActivityDate: dateOrNull(f.LastActivityDate),
    completedDate: dateOrNull(f.CompletedDate),
    userDefinedFields: raw.userDefinedFields,
    otherFields,
  }
}

export function ticketToRaw(ticket: NewAutotaskTicketEntity | AutotaskTicketEntity): {
  id?: number
  fields: Record<string, AutotaskFieldValue>
  userDefinedFields: Record<string, string | null>
} {
  return {
    ...('id' in ticket ? { id: ticket.id } : {}),
    fields: {
      ...(ticket.otherFields ?? {}),
      ...('ticketNumber' in ticket ? { TicketNumber: ticket.ticketNumber } : {}),
      AccountID: ticket.accountId,
      Description: ticket.description ?? '',
      DueDateTime: ticket.dueDateTime ?? null,
      InstalledProductID: ticket.installedProductId ?? null,
      Priority: ticket.priority,
      QueueID: ticket.queueId ?? null,
      Source: ticket.source ?? null,
      Status: ticket.status,
      Title: ticket.title,
      TicketType: ticket.ticketType ?? null,
      ExternalID: ticket.externalId ?? '',
    },
    userDefinedFields: ticket.userDefinedFields ?? {},
  }
}

export function noteFromRaw(raw: RawEntity): AutotaskTicketNoteEntity {
  const f = raw.fields
  return {
    id: raw.id,
    ticketId: numberOrNull(f.TicketID) ?? 0,
    title: text(f.Title),
    description: text(f.Description),
    noteType: numberOrNull(f.NoteType) ?? 0,
    publish: numberOrNull(f.Publish) ?? 0,
    creatorResourceId: numberOrNull(f.CreatorResourceID),
    createDateTime: dateOrNull(f.CreateDateTime),
    lastActivityDate: dateOrNull(f.LastActivityDate),
  }
}

export function noteToRaw(note: NewAutotaskTicketNoteEntity): { fields: Record<string, AutotaskFieldValue> } {
  return { fields: { Description: note.description, NoteType: note.noteType, Publish: note.publish, TicketID: note.ticketId, Title: note.title ?? '' } }
}

export function installedProductFromRaw(raw: RawEntity): AutotaskInstalledProductEntity {
  return {
    id: raw.id,
    referenceNumber: text(raw.fields.ReferenceNumber),
    accountId: numberOrNull(raw.fields.AccountID) ?? 0,
    active: raw.fields.Active === true,
    lastModifiedTime: dateOrNull(raw.fields.LastModifiedTime),
  }
}

export function accountFromRaw(raw: RawEntity): AutotaskAccountEntity {
  return { id: raw.id, accountName: text(raw.fields.AccountName) }
}

export function resourceFromRaw(raw: RawEntity): AutotaskResourceEntity {
  return {
    id: raw.id,
    firstName: text(raw.fields.FirstName),
    lastName: text(raw.fields.LastName),
    email: text(raw.fields.Email),
    userName: text(raw.fields.UserName),
  }
}
