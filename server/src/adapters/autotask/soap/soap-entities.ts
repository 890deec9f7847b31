import { fromAutotaskDateTime, toAutotaskDateTime } from './eastern-time'
import type { AutotaskFieldValue, AutotaskUserDefinedFields } from '../core/autotask-entities'
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

/** A field as .NET generated clients send it: with its xsi:type (the WSDL leaves entity fields untyped). */
interface TypedWireValue {
  attributes: { 'xsi:type': string }
  $value: string | number
}

const maxInt = 2_147_483_647

function wireValue(value: AutotaskFieldValue): TypedWireValue | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return { attributes: { 'xsi:type': 'xsd:dateTime' }, $value: toAutotaskDateTime(value) }
  if (typeof value === 'boolean') return { attributes: { 'xsi:type': 'xsd:boolean' }, $value: value ? 'true' : 'false' }
  if (typeof value === 'string') {
    const text = toXmlSafeText(value)
    return text === '' ? undefined : { attributes: { 'xsi:type': 'xsd:string' }, $value: text }
  }
  if (!Number.isFinite(value)) return undefined
  // Autotask converts the boxed value to the field's own type: an int goes into a long or double field too.
  const type = !Number.isInteger(value) ? 'xsd:double' : Math.abs(value) > maxInt ? 'xsd:long' : 'xsd:int'
  return { attributes: { 'xsi:type': type }, $value: value }
}

/**
 * An entity for create/update, its fields in `fieldOrder` (the WSDL's sequence; fields the WSDL
 * does not list go last), each with its xsi:type. Null and empty values are left out: Autotask's
 * .NET reader turns an empty element without xsi:type into a bare Object and refuses the whole
 * call ("Conversion from type 'Object' to type 'String' is not valid."), and on update a field
 * left out is cleared, which is what null or empty means.
 */
export function writeRawEntity(
  type: string,
  entity: { id?: number; fields: Record<string, AutotaskFieldValue>; userDefinedFields?: AutotaskUserDefinedFields },
  fieldOrder: readonly string[] = [],
): Loose {
  const result: Loose = { attributes: { 'xsi:type': type } }
  // Entity.id is required by the WSDL (minOccurs 1, s:long): generated clients send 0 on create.
  result.id = entity.id ?? 0
  const udfs = Object.entries(entity.userDefinedFields ?? {})
  if (udfs.length > 0) {
    result.UserDefinedFields = {
      UserDefinedField: udfs.map(([name, value]) =>
        value === null || value === '' ? { Name: toXmlSafeText(name) } : { Name: toXmlSafeText(name), Value: toXmlSafeText(value) },
      ),
    }
  }
  const position = (name: string) => {
    const index = fieldOrder.indexOf(name)
    return index < 0 ? Number.MAX_SAFE_INTEGER : index
  }
  const names = Object.keys(entity.fields).sort((a, b) => position(a) - position(b))
  for (const name of names) {
    const value = wireValue(entity.fields[name] ?? null)
    if (value !== undefined) result[name] = value
  }
  return result
}

/** The `Entities` argument of create/update; declares the xsd prefix the fields' xsi:type values use. */
export function entitiesArgument(entities: Loose[]): { Entities: Loose } {
  return { Entities: { attributes: { 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' }, Entity: entities } }
}
