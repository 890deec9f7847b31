import type {
  AutotaskAccountEntity,
  AutotaskFieldInfo,
  AutotaskFieldValue,
  AutotaskInstalledProductEntity,
  AutotaskResourceEntity,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  AutotaskUserDefinedFields,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
} from '../core/autotask-entities'

/** Between Autotask's REST JSON (camelCase, UTC ISO 8601) and PSA Link's domain records. */

export type RestItem = Record<string, unknown>

/** REST datetimes are UTC; a value without an offset is read as UTC too. */
export function fromRestDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value.trim() === '') return null
  const text = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value.trim()) ? value.trim() : `${value.trim()}Z`
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

export function toRestDateTime(value: Date): string {
  return value.toISOString()
}

/** Field lookup that ignores case, as REST does. */
function reader(item: RestItem) {
  const lower = new Map(Object.entries(item).map(([key, value]) => [key.toLowerCase(), value]))
  return {
    raw: (name: string) => lower.get(name.toLowerCase()),
    text: (name: string) => {
      const value = lower.get(name.toLowerCase())
      return value === null || value === undefined ? '' : String(value)
    },
    number: (name: string) => {
      const value = lower.get(name.toLowerCase())
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      return Number.isFinite(number) ? number : null
    },
    date: (name: string) => fromRestDateTime(lower.get(name.toLowerCase())),
  }
}

function udfsFrom(value: unknown): AutotaskUserDefinedFields {
  const result: AutotaskUserDefinedFields = {}
  for (const entry of Array.isArray(value) ? value : []) {
    const pair = (entry ?? {}) as { name?: unknown; value?: unknown }
    if (typeof pair.name === 'string') result[pair.name] = pair.value === null || pair.value === undefined ? null : String(pair.value)
  }
  return result
}

function udfsTo(udfs: AutotaskUserDefinedFields | undefined): Array<{ name: string; value: string | null }> | undefined {
  if (!udfs || Object.keys(udfs).length === 0) return undefined
  return Object.entries(udfs).map(([name, value]) => ({ name, value }))
}

const ticketFieldNames = new Set(
  [
    'id',
    'ticketNumber',
    'title',
    'description',
    'companyID',
    'configurationItemID',
    'status',
    'priority',
    'queueID',
    'dueDateTime',
    'source',
    'ticketType',
    'externalID',
    'createDate',
    'lastActivityDate',
    'completedDate',
    'userDefinedFields',
  ].map((name) => name.toLowerCase()),
)

function primitive(value: unknown): AutotaskFieldValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return (/^\d{4}-\d{2}-\d{2}T/.test(value) ? fromRestDateTime(value) : null) ?? value
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value)
}

export function ticketFromJson(item: RestItem): AutotaskTicketEntity {
  const f = reader(item)
  const otherFields: Record<string, AutotaskFieldValue> = {}
  for (const [name, value] of Object.entries(item)) if (!ticketFieldNames.has(name.toLowerCase())) otherFields[name] = primitive(value)
  return {
    id: f.number('id') ?? 0,
    ticketNumber: f.text('ticketNumber'),
    title: f.text('title'),
    description: f.text('description'),
    accountId: f.number('companyID') ?? 0,
    installedProductId: f.number('configurationItemID'),
    status: f.number('status') ?? 0,
    priority: f.number('priority') ?? 0,
    queueId: f.number('queueID'),
    dueDateTime: f.date('dueDateTime'),
    source: f.number('source'),
    ticketType: f.number('ticketType'),
    externalId: f.text('externalID'),
    createDate: f.date('createDate'),
    lastActivityDate: f.date('lastActivityDate'),
    completedDate: f.date('completedDate'),
    userDefinedFields: udfsFrom(f.raw('userDefinedFields')),
    otherFields,
  }
}

function definedOnly(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined && value !== null))
}

/** A create body: REST names, nothing null (omitted fields keep Autotask's defaults). */
export function ticketToJson(ticket: NewAutotaskTicketEntity): RestItem {
  const other = Object.fromEntries(
    Object.entries(ticket.otherFields ?? {}).map(([name, value]) => [name, value instanceof Date ? toRestDateTime(value) : value]),
  )
  return definedOnly({
    ...other,
    companyID: ticket.accountId,
    title: ticket.title,
    description: ticket.description,
    configurationItemID: ticket.installedProductId,
    status: ticket.status,
    priority: ticket.priority,
    queueID: ticket.queueId,
    dueDateTime: ticket.dueDateTime ? toRestDateTime(ticket.dueDateTime) : undefined,
    source: ticket.source,
    ticketType: ticket.ticketType,
    externalID: ticket.externalId,
    userDefinedFields: udfsTo(ticket.userDefinedFields),
  })
}

export function noteFromJson(item: RestItem): AutotaskTicketNoteEntity {
  const f = reader(item)
  return {
    id: f.number('id') ?? 0,
    ticketId: f.number('ticketID') ?? 0,
    title: f.text('title'),
    description: f.text('description'),
    noteType: f.number('noteType') ?? 0,
    publish: f.number('publish') ?? 0,
    creatorResourceId: f.number('creatorResourceID'),
    createDateTime: f.date('createDateTime'),
    lastActivityDate: f.date('lastActivityDate'),
  }
}

export function noteToJson(note: NewAutotaskTicketNoteEntity): RestItem {
  return definedOnly({ title: note.title, description: note.description, noteType: note.noteType, publish: note.publish })
}

export function configurationItemFromJson(item: RestItem): AutotaskInstalledProductEntity {
  const f = reader(item)
  return {
    id: f.number('id') ?? 0,
    referenceNumber: f.text('referenceNumber'),
    accountId: f.number('companyID') ?? 0,
    active: f.raw('isActive') === true,
    lastModifiedTime: f.date('lastModifiedTime'),
  }
}

export function companyFromJson(item: RestItem): AutotaskAccountEntity {
  const f = reader(item)
  return { id: f.number('id') ?? 0, accountName: f.text('companyName') }
}

export function resourceFromJson(item: RestItem): AutotaskResourceEntity {
  const f = reader(item)
  return { id: f.number('id') ?? 0, firstName: f.text('firstName'), lastName: f.text('lastName'), email: f.text('email'), userName: f.text('userName') }
}

export function fieldInfoFromJson(item: RestItem): AutotaskFieldInfo {
  const f = reader(item)
  const values = f.raw('picklistValues')
  return {
    name: f.text('name'),
    label: f.text('label') || f.text('name'),
    type: f.text('dataType'),
    length: f.number('length') ?? 0,
    isRequired: f.raw('isRequired') === true,
    isReadOnly: f.raw('isReadOnly') === true,
    isQueryable: f.raw('isQueryable') === true,
    isReference: f.raw('isReference') === true,
    referenceEntityType: f.text('referenceEntityType') || null,
    isPickList: f.raw('isPickList') === true,
    picklistParentValueField: f.text('picklistParentValueField') || null,
    picklistValues: (Array.isArray(values) ? values : []).map((raw) => {
      const value = reader((raw ?? {}) as RestItem)
      return {
        value: value.number('value') ?? 0,
        label: value.text('label'),
        isActive: value.raw('isActive') === undefined ? true : value.raw('isActive') === true,
        isDefault: value.raw('isDefaultValue') === true,
        sortOrder: value.number('sortOrder') ?? 0,
        parentValue: value.number('parentValue'),
      }
    }),
  }
}
