import type { EntityInput } from './emulated-database'
import { parseEasternWireTime, WireTimeError } from './eastern-wire-time'
import type { AutotaskFieldType, EmulatedEntityName } from './field-metadata'
import { emulatedFields, findField, isEmulatedEntityName } from './field-metadata'
import type { FieldValue } from './record-query'

/**
 * The entities of a SOAP create or update, read out of the parsed envelope as Autotask's .NET
 * XmlSerializer reads them: values converted by each field's type (a value it cannot convert
 * fails the call), elements out of the entity's field order skipped, an untyped empty element
 * refused, user-defined fields by name.
 */

export type XmlNode = Record<string, unknown>

export function asNode(value: unknown): XmlNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {}
}

export function textOf(value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value === 'string') return value
  const node = asNode(value)
  if (node['@_nil'] === 'true') return null
  const text = node['#text']
  return typeof text === 'string' ? text : typeof text === 'number' ? String(text) : ''
}

export class EntityConversionError extends Error {}

/** VB.NET's names of the types Autotask converts an entity field's Object into. */
const vbTypeName: Record<AutotaskFieldType, string> = {
  int: 'Integer',
  long: 'Long',
  short: 'Short',
  string: 'String',
  datetime: 'Date',
  boolean: 'Boolean',
  double: 'Double',
  decimal: 'Decimal',
}

/**
 * An empty element without xsi:type: .NET's XmlSerializer reads an untyped (xs:anyType) empty
 * element as a bare Object, which Autotask cannot convert, and the whole call fails.
 */
export class UntypedEmptyElement extends Error {
  constructor(
    readonly type: AutotaskFieldType,
    readonly recordNumber: number,
  ) {
    super(`Conversion from type 'Object' to type '${vbTypeName[type]}' is not valid.`)
  }
}

function isUntypedEmpty(value: unknown): boolean {
  if (value === '' || value === undefined) return true
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const node = value as XmlNode
  if (node['@_type'] !== undefined || node['@_nil'] === 'true') return false
  const text = node['#text']
  return (text === undefined || text === '') && Object.keys(node).every((key) => key.startsWith('@_'))
}

function fieldPosition(entity: EmulatedEntityName, name: string): number {
  return emulatedFields[entity].findIndex((field) => field.name === name)
}

export function convertValue(type: AutotaskFieldType, text: string, fieldName: string): FieldValue {
  switch (type) {
    case 'string':
      return text
    case 'int':
    case 'long':
    case 'short': {
      if (text.trim() === '') return null
      const number = Number(text)
      if (!Number.isInteger(number)) throw new EntityConversionError(`Conversion from string "${text}" to type 'Integer' is not valid for field ${fieldName}.`)
      return number
    }
    case 'double':
    case 'decimal': {
      if (text.trim() === '') return null
      const number = Number(text)
      if (!Number.isFinite(number)) throw new EntityConversionError(`Conversion from string "${text}" to type 'Double' is not valid for field ${fieldName}.`)
      return number
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase()
      if (lower === '') return null
      if (lower === 'true' || lower === '1') return true
      if (lower === 'false' || lower === '0') return false
      throw new EntityConversionError(`Conversion from string "${text}" to type 'Boolean' is not valid for field ${fieldName}.`)
    }
    case 'datetime':
      if (text.trim() === '') return null
      try {
        return parseEasternWireTime(text)
      } catch (error) {
        throw new EntityConversionError(error instanceof WireTimeError ? error.message : String(error))
      }
  }
}

export function stripPrefix(name: string): string {
  const colon = name.indexOf(':')
  return colon >= 0 ? name.slice(colon + 1) : name
}

export function readEntities(operationNode: XmlNode): { entity: EmulatedEntityName | null; inputs: EntityInput[]; unknownType?: string } {
  const list = asNode(operationNode.Entities).Entity
  const items = Array.isArray(list) ? list.map(asNode) : []
  let entity: EmulatedEntityName | null = null
  const inputs: EntityInput[] = []
  for (const item of items) {
    const typeName = stripPrefix(String(item['@_type'] ?? ''))
    if (!isEmulatedEntityName(typeName)) return { entity: null, inputs: [], unknownType: typeName }
    entity ??= typeName
    const fields: Record<string, FieldValue> = {}
    let id: number | undefined
    let udfs: Record<string, string | null> | undefined
    let lastPosition = -1
    for (const [key, value] of Object.entries(item)) {
      if (key.startsWith('@_') || key === '#text') continue
      if (key === 'id') {
        const text = textOf(value)
        id = text === null || text.trim() === '' ? undefined : Number(text)
        continue
      }
      if (key === 'UserDefinedFields') {
        udfs = {}
        const entries = asNode(value).UserDefinedField
        for (const udf of Array.isArray(entries) ? entries.map(asNode) : []) {
          const name = textOf(udf.Name)
          if (name) udfs[name] = textOf(udf.Value)
        }
        continue
      }
      const field = findField(typeName, key)
      if (!field) continue
      // XmlSerializer reading an xs:sequence skips an element that comes after a later one (guess: see SOURCES.md).
      const position = fieldPosition(typeName, field.name)
      if (position < lastPosition) continue
      lastPosition = position
      if (isUntypedEmpty(value)) throw new UntypedEmptyElement(field.type, inputs.length + 1)
      const text = textOf(value)
      fields[field.name] = text === null ? null : convertValue(field.type, text, field.name)
    }
    inputs.push({ ...(id === undefined ? {} : { id }), fields, ...(udfs ? { udfs } : {}) })
  }
  return { entity, inputs }
}
