import { DateTime } from 'luxon'
import type { AutotaskFieldType, EmulatedEntityName } from './field-metadata'
import { findField } from './field-metadata'

/** A stored value: typed, datetimes as UTC `Date`s. Strings are never null in Autotask, but may be empty. */
export type FieldValue = string | number | boolean | Date | null

export interface EmulatedRecord {
  id: number
  fields: Record<string, FieldValue>
  /** User-defined fields by label. */
  udfs: Record<string, string | null>
}

export const queryOperators = [
  'equals',
  'notequal',
  'greaterthan',
  'lessthan',
  'greaterthanorequals',
  'lessthanorequals',
  'beginswith',
  'endswith',
  'contains',
  'isnull',
  'isnotnull',
  'isthisday',
  'like',
  'notlike',
  'soundslike',
] as const
export type QueryOperator = (typeof queryOperators)[number]

/** A protocol-neutral condition tree; each face turns its own query language into this. */
export type RecordCondition =
  | { kind: 'and'; of: RecordCondition[] }
  | { kind: 'or'; of: RecordCondition[] }
  | { kind: 'test'; field: string; udf: boolean; operator: QueryOperator; value: FieldValue }

export class QueryRejection extends Error {}

const textOnly: ReadonlySet<QueryOperator> = new Set(['beginswith', 'endswith', 'contains', 'like', 'notlike', 'soundslike'])
const booleanOnly: ReadonlySet<QueryOperator> = new Set(['equals', 'notequal', 'isnull', 'isnotnull'])

export function parseOperator(raw: string): QueryOperator {
  const lower = raw.trim().toLowerCase()
  const found = queryOperators.find((operator) => operator === lower)
  if (!found) throw new QueryRejection(`Invalid query syntax. Unknown operator '${raw}'.`)
  return found
}

/** The type a condition's value must be converted to, or throws when the operator does not apply. */
export function operandType(entity: EmulatedEntityName, test: { field: string; udf: boolean; operator: QueryOperator }): AutotaskFieldType {
  if (test.udf) return 'string'
  const field = findField(entity, test.field)
  if (!field) throw new QueryRejection(`Unable to find ${test.field} in the ${entity} entity.`)
  if (!field.isQueryable) throw new QueryRejection(`Field ${field.name} of the ${entity} entity is not queryable.`)
  const invalid =
    (field.type !== 'string' && textOnly.has(test.operator)) ||
    (field.type === 'boolean' && !booleanOnly.has(test.operator)) ||
    (field.type !== 'datetime' && test.operator === 'isthisday')
  if (invalid) throw new QueryRejection(`Operator ${test.operator} is not valid for field ${field.name} of type ${field.type}.`)
  return field.type
}

export function countOrConditions(condition: RecordCondition): number {
  if (condition.kind === 'test') return 0
  const own = condition.kind === 'or' ? condition.of.length - 1 : 0
  return condition.of.reduce((sum, child) => sum + countOrConditions(child), Math.max(own, 0))
}

function readValue(record: EmulatedRecord, test: { field: string; udf: boolean }, entity: EmulatedEntityName): FieldValue {
  if (test.udf) {
    const key = Object.keys(record.udfs).find((name) => name.toLowerCase() === test.field.toLowerCase())
    return key === undefined ? null : (record.udfs[key] ?? null)
  }
  if (test.field.toLowerCase() === 'id') return record.id
  const field = findField(entity, test.field)
  return field ? (record.fields[field.name] ?? null) : null
}

function isEmpty(value: FieldValue): boolean {
  return value === null || value === ''
}

function comparable(value: FieldValue): number | string | boolean | null {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'string') return value.toLowerCase()
  return value
}

/** SQL LIKE with % and _ wildcards, case-insensitive as on Autotask's SQL Server collation. */
function likePattern(pattern: string): RegExp {
  let source = ''
  for (const char of pattern) {
    if (char === '%') source += '.*'
    else if (char === '_') source += '.'
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'isu')
}

function soundex(text: string): string {
  const letters = text.toUpperCase().replace(/[^A-Z]/g, '')
  if (letters === '') return ''
  const codes: Record<string, string> = {
    B: '1',
    F: '1',
    P: '1',
    V: '1',
    C: '2',
    G: '2',
    J: '2',
    K: '2',
    Q: '2',
    S: '2',
    X: '2',
    Z: '2',
    D: '3',
    T: '3',
    L: '4',
    M: '5',
    N: '5',
    R: '6',
  }
  let result = letters[0] ?? ''
  let previous = codes[result] ?? ''
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? ''
    if (code !== '' && code !== previous) result += code
    if (letter !== 'H' && letter !== 'W') previous = code
  }
  return (result + '000').slice(0, 4)
}

function easternDay(value: Date): string {
  return DateTime.fromJSDate(value, { zone: 'America/New_York' }).toISODate() ?? ''
}

function evaluateTest(actual: FieldValue, operator: QueryOperator, expected: FieldValue): boolean {
  if (operator === 'isnull') return isEmpty(actual)
  if (operator === 'isnotnull') return !isEmpty(actual)
  if (actual === null || expected === null) return false
  const left = comparable(actual)
  const right = comparable(expected)
  const text = String(actual)
  const needle = String(expected)
  switch (operator) {
    case 'equals':
      return left === right
    case 'notequal':
      return left !== right
    case 'greaterthan':
      return left !== null && right !== null && left > right
    case 'lessthan':
      return left !== null && right !== null && left < right
    case 'greaterthanorequals':
      return left !== null && right !== null && left >= right
    case 'lessthanorequals':
      return left !== null && right !== null && left <= right
    case 'beginswith':
      return text.toLowerCase().startsWith(needle.toLowerCase())
    case 'endswith':
      return text.toLowerCase().endsWith(needle.toLowerCase())
    case 'contains':
      return text.toLowerCase().includes(needle.toLowerCase())
    case 'like':
      return likePattern(needle).test(text)
    case 'notlike':
      return !likePattern(needle).test(text)
    case 'soundslike':
      return soundex(text) === soundex(needle)
    case 'isthisday':
      return actual instanceof Date && expected instanceof Date && easternDay(actual) === easternDay(expected)
  }
}

export function matchesCondition(record: EmulatedRecord, condition: RecordCondition, entity: EmulatedEntityName): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.of.every((child) => matchesCondition(record, child, entity))
    case 'or':
      return condition.of.some((child) => matchesCondition(record, child, entity))
    case 'test':
      return evaluateTest(readValue(record, condition, entity), condition.operator, condition.value)
  }
}
