import { fromAutotaskDateTime, toAutotaskDateTime } from './eastern-time'
import type { AutotaskFieldValue, AutotaskUserDefinedFields } from './autotask-types'
import { toXmlSafeText } from './xml-text'

/**
 * Entities as the `soap` library hands them over: untyped fields arrive as
 * `{ attributes: { 'xsi:type': 'xsd:int' }, $value: '42' }` (an empty string has no `$value`),
 * `id` as a number. These helpers turn them into typed values and back.
 */
export interface RawEntity {
  id: number
  type: string
  fields: Record<string, AutotaskFieldValue>
  userDefinedFields: AutotaskUserDefinedFields
}

type Loose = Record<string, unknown>

function asLoose(value: unknown): Loose {
  return value !== null && typeof value === 'object' ? (value as Loose) : {}
}

export function asArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function typedValue(raw: unknown): AutotaskFieldValue {
  if (raw === null || raw === undefined) return null
  if (typeof raw !== 'object') return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : null
  const node = asLoose(raw)
  const type = String(asLoose(node.attributes)['xsi:type'] ?? '').replace(/^.*:/, '')
  const text = node.$value === undefined || node.$value === null ? '' : String(node.$value)
  switch (type) {
    case 'int':
    case 'long':
    case 'short':
    case 'double':
    case 'decimal':
    case 'float':
      return text === '' ? null : Number(text)
    case 'boolean':
      return text === '' ? null : text === 'true' || text === '1'
    case 'dateTime':
      return text === '' ? null : fromAutotaskDateTime(text)
    default:
      return text
  }
}

export function readRawEntity(entity: unknown): RawEntity {
  const node = asLoose(entity)
  const fields: Record<string, AutotaskFieldValue> = {}
  const userDefinedFields: AutotaskUserDefinedFields = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'attributes' || key === 'id' || key === 'Fields') continue
    if (key === 'UserDefinedFields') {
      for (const udf of asArray(asLoose(value).UserDefinedField)) {
        const name = asLoose(udf).Name
        const udfValue = asLoose(udf).Value
        if (typeof name === 'string') userDefinedFields[name] = udfValue === undefined || udfValue === null ? null : String(typedValue(udfValue) ?? '')
      }
      continue
    }
    fields[key] = typedValue(value)
  }
  return { id: Number(typedValue(node.id)), type: String(asLoose(node.attributes)['xsi:type'] ?? ''), fields, userDefinedFields }
}

function wireValue(value: Exclude<AutotaskFieldValue, null>): string | number {
  if (value instanceof Date) return toAutotaskDateTime(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return toXmlSafeText(value)
  return value
}

/**
 * An entity for create/update. Null fields are left out (Autotask reads an empty element as a
 * conversion error); on update leaving a field out clears it, which is what null means.
 */
export function writeRawEntity(type: string, entity: { id?: number; fields: Record<string, AutotaskFieldValue>; userDefinedFields?: AutotaskUserDefinedFields }): Loose {
  const result: Loose = { attributes: { 'xsi:type': type } }
  if (entity.id !== undefined) result.id = entity.id
  const udfs = Object.entries(entity.userDefinedFields ?? {})
  if (udfs.length > 0) {
    result.UserDefinedFields = {
      UserDefinedField: udfs.map(([name, value]) => (value === null ? { Name: toXmlSafeText(name) } : { Name: toXmlSafeText(name), Value: toXmlSafeText(value) })),
    }
  }
  for (const [name, value] of Object.entries(entity.fields)) {
    if (value !== null && value !== undefined) result[name] = wireValue(value)
  }
  return result
}
