import { DateTime } from 'luxon'
import type { EntityInput } from './emulated-database'
import type { EmulatedEntityName, EmulatedField } from './field-metadata'
import { emulatedFields } from './field-metadata'
import type { EmulatedRecord, FieldValue, QueryOperator, RecordCondition } from './record-query'
import { operandType, QueryRejection } from './record-query'
import { findRestField, restEntityNames, restFieldName } from './rest-names'

/**
 * Between the REST API's JSON and the emulator's records: camelCase names, ISO 8601 UTC datetimes,
 * `userDefinedFields` as name/value pairs, and the `filter` language of `/query`.
 */

/** A value Autotask's JSON reader (Json.NET) could not convert; its own wording. */
export class RestConversionError extends Error {}

/** Renders a record as REST does: every field, null for empty, datetimes in UTC with `Z`. */
export function recordToJson(entity: EmulatedEntityName, record: EmulatedRecord, includeFields?: readonly string[]): Record<string, unknown> {
  const wanted = includeFields && includeFields.length > 0 ? new Set(includeFields.map((name) => name.toLowerCase())) : undefined
  const item: Record<string, unknown> = { id: record.id }
  for (const field of emulatedFields[entity]) {
    if (field.name === 'id') continue
    const name = restFieldName(entity, field)
    if (wanted && !wanted.has(name.toLowerCase())) continue
    const value = record.fields[field.name] ?? null
    item[name] = value instanceof Date ? value.toISOString() : value === '' ? null : value
  }
  if (!wanted || wanted.has('userdefinedfields')) item.userDefinedFields = Object.entries(record.udfs).map(([name, value]) => ({ name, value }))
  return item
}

const clrType: Record<EmulatedField['type'], string> = {
  int: 'System.Int32',
  long: 'System.Int64',
  short: 'System.Int16',
  string: 'System.String',
  datetime: 'System.DateTime',
  boolean: 'System.Boolean',
  double: 'System.Double',
  decimal: 'System.Decimal',
}

function conversionError(value: unknown, field: EmulatedField, path: string): RestConversionError {
  return new RestConversionError(`Error converting value ${JSON.stringify(value)} to type '${clrType[field.type]}'. Path '${path}'.`)
}

/** An ISO 8601 instant; without an offset REST reads it as UTC. */
export function parseRestDateTime(text: string): Date | null {
  const parsed = DateTime.fromISO(text.trim(), { zone: 'utc', setZone: false })
  return parsed.isValid ? parsed.toJSDate() : null
}

/** Converts one JSON value to the field's type, coercing as Json.NET does ("1" → 1, 1 → "1"). */
export function valueFromJson(field: EmulatedField, value: unknown, path: string): FieldValue {
  if (value === null || value === undefined) return null
  switch (field.type) {
    case 'string':
      if (typeof value === 'string') return value
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      throw conversionError(value, field, path)
    case 'int':
    case 'long':
    case 'short': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      if (typeof value === 'string' && value.trim() === '') return null
      if (!Number.isInteger(number)) throw conversionError(value, field, path)
      return number
    }
    case 'double':
    case 'decimal': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      if (!Number.isFinite(number)) throw conversionError(value, field, path)
      return number
    }
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true'
      throw conversionError(value, field, path)
    case 'datetime': {
      const parsed = typeof value === 'string' ? parseRestDateTime(value) : null
      if (!parsed) throw conversionError(value, field, path)
      return parsed
    }
  }
}

/** One entity from a create/update body; unknown members are ignored, as Json.NET does. */
export function inputFromJson(entity: EmulatedEntityName, body: unknown): EntityInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new RestConversionError(`The request body must be one ${restEntityNames[entity]} object.`)
  const fields: Record<string, FieldValue> = {}
  let id: number | undefined
  let udfs: Record<string, string | null> | undefined
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.toLowerCase() === 'id') {
      if (value !== null && value !== undefined) id = Number(value)
      continue
    }
    if (key.toLowerCase() === 'userdefinedfields') {
      udfs = {}
      for (const entry of Array.isArray(value) ? value : []) {
        const pair = (entry ?? {}) as { name?: unknown; value?: unknown }
        if (typeof pair.name === 'string') udfs[pair.name] = pair.value === null || pair.value === undefined ? null : String(pair.value)
      }
      continue
    }
    const field = findRestField(entity, key)
    if (!field || field.name === 'id') continue
    fields[field.name] = valueFromJson(field, value, key)
  }
  return { ...(id === undefined || !Number.isFinite(id) ? {} : { id }), fields, ...(udfs ? { udfs } : {}) }
}

const comparisons: Record<string, QueryOperator> = {
  eq: 'equals',
  noteq: 'notequal',
  gt: 'greaterthan',
  gte: 'greaterthanorequals',
  lt: 'lessthan',
  lte: 'lessthanorequals',
  beginswith: 'beginswith',
  endswith: 'endswith',
  contains: 'contains',
  exist: 'isnotnull',
  notexist: 'isnull',
}

interface RestFilterItem {
  op?: unknown
  field?: unknown
  value?: unknown
  udf?: unknown
  items?: unknown
}

function operand(entity: EmulatedEntityName, test: { field: string; udf: boolean; operator: QueryOperator }, value: unknown): FieldValue {
  const type = operandType(entity, test)
  if (test.operator === 'isnull' || test.operator === 'isnotnull') return null
  if (test.udf) return value === null || value === undefined ? null : String(value)
  const field = emulatedFields[entity].find((candidate) => candidate.name === test.field)
  if (!field) throw new QueryRejection(`Unable to find ${test.field} in the ${restEntityNames[entity]} entity.`)
  try {
    return valueFromJson({ ...field, type }, value, restFieldName(entity, field))
  } catch {
    throw new QueryRejection(`Invalid query value ${JSON.stringify(value)} for field ${restFieldName(entity, field)}.`)
  }
}

function filterItem(entity: EmulatedEntityName, raw: unknown): RecordCondition {
  const item = (raw ?? {}) as RestFilterItem
  const op = typeof item.op === 'string' ? item.op.toLowerCase() : ''
  if (op === 'and' || op === 'or') {
    const items = Array.isArray(item.items) ? item.items : []
    if (items.length === 0) throw new QueryRejection(`A grouping filter (${op}) needs items.`)
    return { kind: op, of: items.map((child) => filterItem(entity, child)) }
  }
  if (typeof item.field !== 'string' || item.field.trim() === '') throw new QueryRejection('Every filter needs a field.')
  const udf = item.udf === true || item.udf === 'true'
  const restName = item.field.trim()
  const soapName = udf ? restName : (findRestField(entity, restName)?.name ?? restName)
  if (!udf && !findRestField(entity, restName)) throw new QueryRejection(`Unable to find ${restName} in the ${restEntityNames[entity]} entity.`)
  if (op === 'in' || op === 'notin') {
    const values = Array.isArray(item.value) ? item.value : [item.value]
    const tests: RecordCondition[] = values.map((value) => ({
      kind: 'test',
      field: soapName,
      udf,
      operator: op === 'in' ? 'equals' : 'notequal',
      value: operand(entity, { field: soapName, udf, operator: op === 'in' ? 'equals' : 'notequal' }, value),
    }))
    return { kind: op === 'in' ? 'or' : 'and', of: tests }
  }
  const operator = comparisons[op]
  if (!operator) throw new QueryRejection(`Unknown filter operator '${String(item.op)}'.`)
  return { kind: 'test', field: soapName, udf, operator, value: operand(entity, { field: soapName, udf, operator }, item.value) }
}

/** The top-level `filter` array is AND-ed; Autotask requires at least one condition. */
export function conditionFromFilter(entity: EmulatedEntityName, filter: unknown): RecordCondition {
  const items = Array.isArray(filter) ? filter : []
  if (items.length === 0) throw new QueryRejection('The query must contain at least one filter condition.')
  const conditions = items.map((item) => filterItem(entity, item))
  return conditions.length === 1 ? (conditions[0] as RecordCondition) : { kind: 'and', of: conditions }
}
