import { XMLParser } from 'fast-xml-parser'
import { parseEasternWireTime } from './eastern-wire-time'
import type { AutotaskFieldType, EmulatedEntityName } from './field-metadata'
import { emulatedEntityNames } from './field-metadata'
import type { FieldValue, RecordCondition } from './record-query'
import { operandType, parseOperator, QueryRejection } from './record-query'

/**
 * ATWS QueryXML, read the way Autotask reads it: nested conditions, AND by default, OR where a
 * condition says so, operators in any letter case, UDF fields, Eastern-time datetimes.
 */
export type ValueConverter = (type: AutotaskFieldType, text: string, entity: EmulatedEntityName) => FieldValue

const queryParser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  preserveOrder: true,
})

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> }

function childrenOf(node: OrderedNode, name: string): OrderedNode[] {
  const children = node[name]
  return Array.isArray(children) ? (children as OrderedNode[]) : []
}

function nodeName(node: OrderedNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? ''
}

function ownText(node: OrderedNode, name: string): string {
  return childrenOf(node, name)
    .filter((child) => nodeName(child) === '#text')
    .map((child) => String(child['#text']))
    .join('')
}

function convertOperand(entity: EmulatedEntityName, type: AutotaskFieldType, text: string, convertValue: ValueConverter): FieldValue {
  if (type === 'datetime') {
    try {
      return parseEasternWireTime(text)
    } catch {
      throw new QueryRejection(`Invalid query syntax. '${text}' is not a valid datetime value.`)
    }
  }
  try {
    return convertValue(type, text, entity)
  } catch {
    throw new QueryRejection(`Invalid query syntax. '${text}' is not a valid ${type} value.`)
  }
}

/** Siblings are AND-ed; a `<condition operator="OR">` is OR-ed with what precedes it. */
function readConditionList(entity: EmulatedEntityName, nodes: OrderedNode[], convertValue: ValueConverter): RecordCondition | null {
  let result: RecordCondition | null = null
  for (const node of nodes) {
    const name = nodeName(node)
    let condition: RecordCondition | null
    let joiner: 'and' | 'or' = 'and'
    if (name === 'field') {
      const fieldName = ownText(node, 'field').trim()
      const udf = (node[':@']?.['@_udf'] ?? '').toLowerCase() === 'true'
      const expressions = childrenOf(node, 'field').filter((child) => nodeName(child) === 'expression')
      if (expressions.length === 0) throw new QueryRejection(`Invalid query syntax. The field ${fieldName} has no expression.`)
      const tests: RecordCondition[] = expressions.map((expression) => {
        const rawOperator = expression[':@']?.['@_op']
        if (!rawOperator) throw new QueryRejection('Invalid query syntax. An expression has no op attribute.')
        const operator = parseOperator(rawOperator)
        const type = operandType(entity, { field: fieldName, udf, operator })
        const text = ownText(expression, 'expression')
        const value = operator === 'isnull' || operator === 'isnotnull' ? null : convertOperand(entity, type, text, convertValue)
        return { kind: 'test', field: fieldName, udf, operator, value }
      })
      condition = tests.length === 1 ? (tests[0] ?? null) : { kind: 'and', of: tests }
    } else if (name === 'condition') {
      joiner = (node[':@']?.['@_operator'] ?? '').toLowerCase() === 'or' ? 'or' : 'and'
      condition = readConditionList(entity, childrenOf(node, 'condition'), convertValue)
    } else {
      continue
    }
    if (!condition) continue
    result = result === null ? condition : { kind: joiner, of: [result, condition] }
  }
  return result
}

/** Reads an ATWS QueryXML document into a condition over the emulator's records. */
export function parseQueryXml(sXml: string, convertValue: ValueConverter): { entity: EmulatedEntityName; condition: RecordCondition } {
  let document: OrderedNode[]
  try {
    document = queryParser.parse(sXml) as OrderedNode[]
  } catch {
    throw new QueryRejection('Invalid query syntax. The QueryXML could not be parsed.')
  }
  const root = document.find((node) => nodeName(node).toLowerCase() === 'queryxml')
  if (!root) throw new QueryRejection('Invalid query syntax. The QueryXML has no queryxml element.')
  const children = childrenOf(root, nodeName(root))
  const entityNode = children.find((node) => nodeName(node) === 'entity')
  const entityName = entityNode ? ownText(entityNode, 'entity').trim() : ''
  const entity = emulatedEntityNames.find((name) => name.toLowerCase() === entityName.toLowerCase())
  if (!entity) throw new QueryRejection(`Invalid query syntax. Unknown entity '${entityName}'.`)
  const queryNode = children.find((node) => nodeName(node) === 'query')
  const condition = queryNode ? readConditionList(entity, childrenOf(queryNode, 'query'), convertValue) : null
  if (!condition) throw new QueryRejection('Invalid query syntax. A query needs at least one field condition.')
  return { entity, condition }
}
