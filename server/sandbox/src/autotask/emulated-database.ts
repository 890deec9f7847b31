import { DateTime } from 'luxon'
import type { EmulatedPicklists } from './emulated-picklists'
import type { EmulatedEntityName, EmulatedField } from './field-metadata'
import { emulatedEntityNames, emulatedFields, findField } from './field-metadata'
import type { EmulatedRecord, FieldValue, RecordCondition } from './record-query'
import { countOrConditions, matchesCondition, QueryRejection } from './record-query'

/** Autotask's limits for one call. */
export const maxRowsPerQuery = 500
export const maxEntitiesPerWrite = 200
export const maxOrConditions = 500

export interface EmulatedDatabaseOptions {
  key: string
  userName: string
  secret: string
  integrationCode: string
  /** Zone "CI" number that getZoneInfo reports. */
  ci: number
  picklists: EmulatedPicklists
  /** UDF labels per entity. */
  udfNames?: Partial<Record<EmulatedEntityName, string[]>>
  /** Extra required Ticket fields per TicketCategory value. */
  categoryRequiredFields?: Record<number, string[]>
  /** TicketCategory applied when a create leaves it out. */
  defaultTicketCategory?: number | null
  now: () => Date
}

export interface EntityInput {
  id?: number
  fields: Record<string, FieldValue>
  udfs?: Record<string, string | null>
}

export type WriteOutcome = { ok: true; records: EmulatedRecord[] } | { ok: false; errors: string[] }

export interface ActingAs {
  resourceId: number
}

function recordError(message: string, index: number): string {
  return `${message} ; on record number [${index + 1}].`
}

export function createEmulatedDatabase(options: EmulatedDatabaseOptions) {
  const records = Object.fromEntries(emulatedEntityNames.map((name) => [name, new Map<number, EmulatedRecord>()])) as Record<
    EmulatedEntityName,
    Map<number, EmulatedRecord>
  >
  const ticketNumberSequence = new Map<string, number>()
  let nextId = 29_684_000
  let apiResourceId = 0

  function allocateId(): number {
    nextId += 1 + (nextId % 3)
    return nextId
  }

  function picklistValues(entity: EmulatedEntityName, field: string) {
    return options.picklists[entity]?.[field] ?? []
  }

  function defaultPicklistValue(entity: EmulatedEntityName, field: string): number | null {
    return picklistValues(entity, field).find((value) => value.isDefault)?.value ?? null
  }

  function nextTicketNumber(at: Date): string {
    const day = DateTime.fromJSDate(at, { zone: 'America/New_York' }).toFormat('yyyyLLdd')
    const sequence = (ticketNumberSequence.get(day) ?? 0) + 1
    ticketNumberSequence.set(day, sequence)
    return `T${day}.${String(sequence).padStart(4, '0')}`
  }

  function referenceExists(field: EmulatedField, value: FieldValue): boolean {
    const target = field.referenceEntityType
    if (target === null || typeof value !== 'number') return true
    if (target === 'Account' && value === 0) return true
    if (!(emulatedEntityNames as readonly string[]).includes(target)) return true
    return records[target as EmulatedEntityName].has(value)
  }

  /** Checks one entity the way Autotask does before it saves anything; returns the first problem. */
  function validate(entity: EmulatedEntityName, fields: Record<string, FieldValue>, mode: 'create' | 'update'): string | null {
    const required = new Set(emulatedFields[entity].filter((field) => field.isRequired && field.name !== 'id').map((field) => field.name))
    if (entity === 'Ticket') {
      const category = fields.TicketCategory
      for (const extra of typeof category === 'number' ? (options.categoryRequiredFields?.[category] ?? []) : []) required.add(extra)
    }
    for (const field of emulatedFields[entity]) {
      if (field.name === 'id') continue
      const value = fields[field.name] ?? null
      const settable = !field.isReadOnly || (field.isRequired && mode === 'create')
      if (!settable) continue
      if (required.has(field.name) && (value === null || value === '')) return `Value does not exist for the required field ${field.name}.`
      if (value === null) continue
      if (field.type === 'string' && typeof value === 'string' && field.length > 0 && value.length > field.length) {
        return `Value for field ${field.name} exceeds the maximum length of ${field.length} characters.`
      }
      if (field.isPickList && typeof value === 'number') {
        const listed = picklistValues(entity, field.name)
        const known = listed.find((entry) => entry.value === value)
        if (listed.length > 0 && (!known || !known.isActive)) return `Picklist value [${value}] does not exist for ${field.name}.`
      }
      if (!referenceExists(field, value)) return `Value [${value}] does not exist for the reference field ${field.name}.`
    }
    return null
  }

  /** Keeps only what a client may write: read-only fields are ignored silently, as Autotask does. */
  function writableFields(entity: EmulatedEntityName, input: Record<string, FieldValue>, mode: 'create' | 'update'): Record<string, FieldValue> {
    const result: Record<string, FieldValue> = {}
    for (const [name, value] of Object.entries(input)) {
      const field = findField(entity, name)
      if (!field || field.name === 'id') continue
      if (field.isReadOnly && !(field.isRequired && mode === 'create')) continue
      result[field.name] = value
    }
    return result
  }

  function knownUdfs(entity: EmulatedEntityName, input: Record<string, string | null> | undefined, previous?: Record<string, string | null>) {
    const names = options.udfNames?.[entity] ?? []
    const result: Record<string, string | null> = {}
    for (const name of names) {
      const key = input ? Object.keys(input).find((candidate) => candidate.toLowerCase() === name.toLowerCase()) : undefined
      result[name] = key !== undefined ? (input?.[key] ?? null) : input ? null : (previous?.[name] ?? null)
    }
    return result
  }

  function stampCreate(entity: EmulatedEntityName, fields: Record<string, FieldValue>, at: Date, actor: ActingAs) {
    switch (entity) {
      case 'Ticket':
        fields.TicketCategory ??= options.defaultTicketCategory ?? null
        fields.TicketNumber = typeof fields.TicketNumber === 'string' && fields.TicketNumber !== '' ? fields.TicketNumber : nextTicketNumber(at)
        fields.CreateDate = at
        fields.LastActivityDate = at
        fields.CreatorResourceID = actor.resourceId
        fields.CreatorType = 1
        fields.LastActivityResourceID = actor.resourceId
        fields.CompletedDate = fields.Status === 5 ? at : null
        break
      case 'TicketNote':
        fields.CreateDateTime = at
        fields.LastActivityDate = at
        fields.CreatorResourceID = actor.resourceId
        break
      case 'InstalledProduct':
        fields.CreateDate = at
        fields.LastModifiedTime = at
        break
      case 'Account':
        fields.CreateDate = at
        fields.LastActivityDate = at
        break
      case 'Resource':
        break
    }
  }

  function touchTicket(ticketId: FieldValue, at: Date, actor: ActingAs) {
    const ticket = typeof ticketId === 'number' ? records.Ticket.get(ticketId) : undefined
    if (!ticket) return
    ticket.fields.LastActivityDate = at
    ticket.fields.LastActivityResourceID = actor.resourceId
  }

  function normaliseStrings(entity: EmulatedEntityName, fields: Record<string, FieldValue>) {
    for (const field of emulatedFields[entity]) {
      if (field.type === 'string' && (fields[field.name] === undefined || fields[field.name] === null)) fields[field.name] = ''
    }
  }

  function create(entity: EmulatedEntityName, inputs: EntityInput[], actor: ActingAs = { resourceId: apiResourceId }): WriteOutcome {
    if (inputs.length > maxEntitiesPerWrite) return { ok: false, errors: [`The number of entities in one call is limited to ${maxEntitiesPerWrite}.`] }
    const at = options.now()
    const prepared: EmulatedRecord[] = []
    for (const [index, input] of inputs.entries()) {
      const fields = writableFields(entity, input.fields, 'create')
      if (entity === 'Ticket') fields.TicketCategory ??= options.defaultTicketCategory ?? null
      const problem = validate(entity, fields, 'create')
      if (problem) return { ok: false, errors: [recordError(problem, index)] }
      prepared.push({ id: 0, fields, udfs: knownUdfs(entity, input.udfs ?? {}) })
    }
    for (const record of prepared) {
      record.id = allocateId()
      stampCreate(entity, record.fields, at, actor)
      normaliseStrings(entity, record.fields)
      records[entity].set(record.id, record)
      if (entity === 'TicketNote') touchTicket(record.fields.TicketID ?? null, at, actor)
    }
    return { ok: true, records: prepared.map(cloneRecord) }
  }

  /** Whole-object update: every writable field left out is cleared, as Autotask's update() does. */
  function update(entity: EmulatedEntityName, inputs: EntityInput[], actor: ActingAs = { resourceId: apiResourceId }): WriteOutcome {
    if (inputs.length > maxEntitiesPerWrite) return { ok: false, errors: [`The number of entities in one call is limited to ${maxEntitiesPerWrite}.`] }
    const at = options.now()
    const prepared: Array<{ existing: EmulatedRecord; next: EmulatedRecord }> = []
    for (const [index, input] of inputs.entries()) {
      const existing = input.id === undefined ? undefined : records[entity].get(input.id)
      if (!existing) {
        return {
          ok: false,
          errors: [recordError('No matching records found. The logged in resource may not have the required permissions to update the data.', index)],
        }
      }
      const writable = writableFields(entity, input.fields, 'update')
      const fields: Record<string, FieldValue> = {}
      for (const field of emulatedFields[entity]) {
        if (field.name === 'id') continue
        fields[field.name] = field.isReadOnly ? (existing.fields[field.name] ?? null) : (writable[field.name] ?? null)
      }
      const problem = validate(entity, fields, 'update')
      if (problem) return { ok: false, errors: [recordError(problem, index)] }
      prepared.push({ existing, next: { id: existing.id, fields, udfs: knownUdfs(entity, input.udfs, existing.udfs) } })
    }
    for (const { existing, next } of prepared) {
      if (entity === 'Ticket') {
        next.fields.LastActivityDate = at
        next.fields.LastActivityResourceID = actor.resourceId
        const completedBefore = existing.fields.Status === 5
        if (next.fields.Status === 5 && !completedBefore) next.fields.CompletedDate = at
        if (next.fields.Status !== 5) next.fields.CompletedDate = null
      }
      if (entity === 'TicketNote') {
        next.fields.LastActivityDate = at
        touchTicket(next.fields.TicketID ?? null, at, actor)
      }
      if (entity === 'InstalledProduct') next.fields.LastModifiedTime = at
      if (entity === 'Account') next.fields.LastActivityDate = at
      normaliseStrings(entity, next.fields)
      records[entity].set(next.id, next)
    }
    return { ok: true, records: prepared.map(({ next }) => cloneRecord(next)) }
  }

  function query(entity: EmulatedEntityName, condition: RecordCondition): EmulatedRecord[] {
    if (countOrConditions(condition) > maxOrConditions) {
      throw new QueryRejection(`Invalid query syntax. Queries are limited to ${maxOrConditions} or fewer 'OR' conditions.`)
    }
    const matches: EmulatedRecord[] = []
    for (const record of [...records[entity].values()].sort((a, b) => a.id - b.id)) {
      if (!matchesCondition(record, condition, entity)) continue
      matches.push(cloneRecord(record))
      if (matches.length === maxRowsPerQuery) break
    }
    return matches
  }

  /** How many records match, without the row limit (REST `query/count`, and whether another page exists). */
  function count(entity: EmulatedEntityName, condition: RecordCondition): number {
    if (countOrConditions(condition) > maxOrConditions) {
      throw new QueryRejection(`Invalid query syntax. Queries are limited to ${maxOrConditions} or fewer 'OR' conditions.`)
    }
    let total = 0
    for (const record of records[entity].values()) if (matchesCondition(record, condition, entity)) total += 1
    return total
  }

  /** Puts a record in place as-is (seeding and technician actions), bypassing API validation. */
  function insert(
    entity: EmulatedEntityName,
    fields: Record<string, FieldValue>,
    udfs: Record<string, string | null> = {},
    at = options.now(),
  ): EmulatedRecord {
    const record: EmulatedRecord = { id: allocateId(), fields: { ...fields }, udfs: knownUdfs(entity, udfs) }
    stampCreate(entity, record.fields, at, { resourceId: typeof fields.CreatorResourceID === 'number' ? fields.CreatorResourceID : apiResourceId })
    normaliseStrings(entity, record.fields)
    records[entity].set(record.id, record)
    return cloneRecord(record)
  }

  return {
    ...options,
    records,
    create,
    update,
    query,
    count,
    insert,
    touchTicket,
    defaultPicklistValue,
    picklistValues,
    get apiResourceId() {
      return apiResourceId
    },
    set apiResourceId(id: number) {
      apiResourceId = id
    },
  }
}

export type EmulatedDatabase = ReturnType<typeof createEmulatedDatabase>

export function cloneRecord(record: EmulatedRecord): EmulatedRecord {
  return { id: record.id, fields: { ...record.fields }, udfs: { ...record.udfs } }
}
