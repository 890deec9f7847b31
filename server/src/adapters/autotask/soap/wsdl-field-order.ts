import type * as soap from 'soap'

/**
 * The order of an entity's fields as the WSDL the client loaded declares them. Every entity type
 * extends Entity with one xs:sequence of fields, and Autotask reads its requests with .NET's
 * XmlSerializer, which expects a sequence in that order; generated clients (wsdl.exe, svcutil,
 * suds) all write it. Read from the `soap` library's parse of the zone's own WSDL (zones roll out
 * releases one by one, so no list is kept here).
 */

interface SchemaNode {
  name?: string
  $name?: string
  children?: SchemaNode[]
}

interface ParsedWsdl {
  definitions?: { schemas?: Record<string, { complexTypes?: Record<string, SchemaNode> }> }
}

const orders = new WeakMap<object, Map<string, readonly string[]>>()

function sequenceOf(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined
  if (node.name === 'sequence') return node
  for (const child of node.children ?? []) {
    // The entity's own sequence sits in complexContent/extension; Entity's (id, UDFs) is the base's.
    const found = sequenceOf(child)
    if (found) return found
  }
  return undefined
}

export function entityFieldOrder(client: soap.Client, entity: string): readonly string[] {
  const wsdl = (client as unknown as { wsdl?: ParsedWsdl }).wsdl
  const key = wsdl ?? client
  let byEntity = orders.get(key)
  if (!byEntity) {
    byEntity = new Map()
    orders.set(key, byEntity)
  }
  const cached = byEntity.get(entity)
  if (cached) return cached
  let found: readonly string[] = []
  for (const schema of Object.values(wsdl?.definitions?.schemas ?? {})) {
    const type = schema.complexTypes?.[entity]
    const sequence = sequenceOf(type)
    if (sequence) {
      found = (sequence.children ?? []).filter((child) => child.name === 'element' && child.$name).map((child) => child.$name as string)
      break
    }
  }
  byEntity.set(entity, found)
  return found
}
