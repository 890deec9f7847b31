import { toAutotaskDateTime } from './eastern-time'
import { toXmlSafeText } from './xml-text'

/**
 * A safe builder for Autotask's QueryXML. Every value is escaped here (the `soap` library then
 * escapes the whole string once more as the sXML parameter), field names are validated, and
 * nested AND/OR groups become `<condition>` elements, `operator="OR"` joining a condition to the
 * one before it (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/SOAP/APICalls/QueryXML.htm).
 */
export const queryOperatorNames = [
  'Equals',
  'NotEqual',
  'GreaterThan',
  'LessThan',
  'GreaterThanOrEquals',
  'LessThanOrEquals',
  'BeginsWith',
  'EndsWith',
  'Contains',
  'IsNull',
  'IsNotNull',
  'IsThisDay',
  'Like',
  'NotLike',
  'SoundsLike',
] as const
export type QueryOperatorName = (typeof queryOperatorNames)[number]

export type QueryValue = string | number | boolean | Date

export interface FieldTest {
  kind: 'field'
  field: string
  operator: QueryOperatorName
  value?: QueryValue
  udf: boolean
}

export interface ConditionGroup {
  kind: 'and' | 'or'
  conditions: QueryCondition[]
}

export type QueryCondition = FieldTest | ConditionGroup

const fieldNamePattern = /^[A-Za-z][A-Za-z0-9_]{0,99}$/

export function field(name: string, operator: QueryOperatorName, value?: QueryValue): FieldTest {
  if (!fieldNamePattern.test(name)) throw new RangeError(`not an Autotask field name: ${JSON.stringify(name)}`)
  return test(name, operator, value, false)
}

/** A user-defined field, named by its label (labels may hold spaces and punctuation). */
export function udfField(label: string, operator: QueryOperatorName, value?: QueryValue): FieldTest {
  if (label.trim() === '' || label.length > 100 || toXmlSafeText(label) !== label) throw new RangeError(`not a UDF label: ${JSON.stringify(label)}`)
  return test(label, operator, value, true)
}

function test(name: string, operator: QueryOperatorName, value: QueryValue | undefined, udf: boolean): FieldTest {
  const canonical = queryOperatorNames.find((candidate) => candidate.toLowerCase() === operator.toLowerCase())
  if (!canonical) throw new RangeError(`not a QueryXML operator: ${operator}`)
  const needsValue = canonical !== 'IsNull' && canonical !== 'IsNotNull'
  if (needsValue && value === undefined) throw new RangeError(`${canonical} needs a value`)
  return { kind: 'field', field: name, operator: canonical, ...(needsValue ? { value } : {}), udf }
}

export function and(...conditions: QueryCondition[]): ConditionGroup {
  return { kind: 'and', conditions }
}

export function or(...conditions: QueryCondition[]): ConditionGroup {
  return { kind: 'or', conditions }
}

export function escapeXmlText(text: string): string {
  return toXmlSafeText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

function renderValue(value: QueryValue): string {
  if (value instanceof Date) return toAutotaskDateTime(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('QueryXML numbers must be finite')
    return String(value)
  }
  return escapeXmlText(value)
}

function renderTest(node: FieldTest): string {
  const expression = `<expression op="${node.operator.toLowerCase()}">${node.value === undefined ? '' : renderValue(node.value)}</expression>`
  return `<field${node.udf ? ' udf="true"' : ''}>${escapeXmlText(node.field)}${expression}</field>`
}

function renderInner(node: QueryCondition): string {
  if (node.kind === 'field') return renderTest(node)
  if (node.conditions.length === 0) throw new RangeError('an AND/OR group needs at least one condition')
  return node.conditions
    .map((child, index) => `<condition${node.kind === 'or' && index > 0 ? ' operator="OR"' : ''}>${renderInner(child)}</condition>`)
    .join('')
}

/** Counts the OR joins, which Autotask limits to 500 per query. */
export function countOrJoins(node: QueryCondition): number {
  if (node.kind === 'field') return 0
  const own = node.kind === 'or' ? node.conditions.length - 1 : 0
  return node.conditions.reduce((sum, child) => sum + countOrJoins(child), own)
}

const entityNamePattern = /^[A-Za-z]+$/

export function buildQueryXml(entity: string, condition: QueryCondition): string {
  if (!entityNamePattern.test(entity)) throw new RangeError(`not an Autotask entity: ${entity}`)
  if (countOrJoins(condition) > 500) throw new RangeError('Autotask allows at most 500 OR conditions per query')
  return `<queryxml><entity>${entity}</entity><query>${renderInner(condition)}</query></queryxml>`
}
