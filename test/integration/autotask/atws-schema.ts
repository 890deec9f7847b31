import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { XMLParser } from 'fast-xml-parser'

/**
 * A small XML Schema checker for the part of Autotask's real ATWS v1.6 WSDL that PSA Link's SOAP
 * client sends: the operation elements, ArrayOfEntity, the entity types (Entity's id and
 * UserDefinedFields, then each type's own xs:sequence), AutotaskIntegrations, simple types by their
 * lexical form, and xsi:type on the abstract Entity and on the untyped (xs:anyType) entity fields.
 * The WSDL is read at run time from the team's reference folder and never copied into the repo.
 */

export const realWsdlPath = fileURLToPath(new URL('../../../../shared/reference/autotask/atws-v1_6.wsdl', import.meta.url))

const xsdNamespace = 'http://www.w3.org/2001/XMLSchema'
const xsiNamespace = 'http://www.w3.org/2001/XMLSchema-instance'
const soapNamespace = 'http://schemas.xmlsoap.org/soap/envelope/'
const xmlnsNamespace = 'http://www.w3.org/2000/xmlns/'

interface QName {
  namespace: string
  local: string
}

interface ElementDeclaration {
  name: string
  /** Undefined for xs:anyType (no type attribute). */
  type: QName | undefined
  inline: ComplexType | undefined
  minOccurs: number
  maxOccurs: number
}

interface ComplexType {
  name: string
  base: QName | undefined
  abstract: boolean
  sequence: ElementDeclaration[]
}

export interface AtwsSchema {
  targetNamespace: string
  complexTypes: Map<string, ComplexType>
  simpleTypes: Map<string, string[]>
  elements: Map<string, ElementDeclaration>
}

type Node = Record<string, unknown>

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]) as Node[]
}

function resolve(qname: string, namespaces: Record<string, string>): QName {
  const colon = qname.indexOf(':')
  const prefix = colon < 0 ? '' : qname.slice(0, colon)
  const namespace = namespaces[prefix]
  if (namespace === undefined) throw new Error(`the prefix of ${qname} is not declared`)
  return { namespace, local: colon < 0 ? qname : qname.slice(colon + 1) }
}

/** Reads the reference WSDL; fails with a clear message when the team's reference folder is absent. */
export function loadRealAtwsSchema(path = realWsdlPath): AtwsSchema {
  if (!existsSync(path)) {
    throw new Error(
      `Autotask's real v1.6 WSDL is missing at ${path}: these checks need the team's reference folder (../shared/reference next to the repository).`,
    )
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: false })
  const document = parser.parse(readFileSync(path, 'utf8')) as Node
  const definitions = document['wsdl:definitions'] as Node
  const schemaNode = (definitions['wsdl:types'] as Node)['s:schema'] as Node
  const namespaces: Record<string, string> = {}
  for (const [key, value] of Object.entries(definitions)) if (key.startsWith('@_xmlns:')) namespaces[key.slice(8)] = String(value)
  const targetNamespace = String(schemaNode['@_targetNamespace'])

  function elementOf(node: Node): ElementDeclaration {
    const inline = node['s:complexType'] as Node | undefined
    const max = String(node['@_maxOccurs'] ?? '1')
    return {
      name: String(node['@_name']),
      type: node['@_type'] === undefined ? undefined : resolve(String(node['@_type']), namespaces),
      inline: inline === undefined ? undefined : complexTypeOf(inline, `${String(node['@_name'])} (inline)`),
      minOccurs: Number(node['@_minOccurs'] ?? 1),
      maxOccurs: max === 'unbounded' ? Number.POSITIVE_INFINITY : Number(max),
    }
  }

  function complexTypeOf(node: Node, name: string): ComplexType {
    const extension = (node['s:complexContent'] as Node | undefined)?.['s:extension'] as Node | undefined
    const holder = extension ?? node
    const sequence = holder['s:sequence'] as Node | undefined
    return {
      name,
      base: extension ? resolve(String(extension['@_base']), namespaces) : undefined,
      abstract: node['@_abstract'] === 'true',
      sequence: list(sequence?.['s:element']).map(elementOf),
    }
  }

  const complexTypes = new Map<string, ComplexType>()
  for (const node of list(schemaNode['s:complexType'])) complexTypes.set(String(node['@_name']), complexTypeOf(node, String(node['@_name'])))
  const simpleTypes = new Map<string, string[]>()
  for (const node of list(schemaNode['s:simpleType'])) {
    simpleTypes.set(
      String(node['@_name']),
      list((node['s:restriction'] as Node | undefined)?.['s:enumeration']).map((value) => String(value['@_value'])),
    )
  }
  const elements = new Map<string, ElementDeclaration>()
  for (const node of list(schemaNode['s:element'])) elements.set(String(node['@_name']), elementOf(node))
  return { targetNamespace, complexTypes, simpleTypes, elements }
}

/** An element of the envelope, with its namespace resolved. */
interface XmlElement {
  qname: QName
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
  namespaces: Record<string, string>
}

function readEnvelope(xml: string): XmlElement {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: false,
    preserveOrder: true,
    parseTagValue: false,
    trimValues: false,
  })
  const nodes = parser.parse(xml) as Node[]
  function build(node: Node, inherited: Record<string, string>): XmlElement | undefined {
    const tag = Object.keys(node).find((key) => key !== ':@' && key !== '#text' && !key.startsWith('?'))
    if (!tag) return undefined
    const attributes = Object.fromEntries(Object.entries((node[':@'] as Record<string, unknown> | undefined) ?? {}).map(([key, value]) => [key, String(value)]))
    const namespaces = { ...inherited }
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'xmlns') namespaces[''] = value
      else if (key.startsWith('xmlns:')) namespaces[key.slice(6)] = value
    }
    const content = (node[tag] as Node[]) ?? []
    const children: XmlElement[] = []
    let text = ''
    for (const child of content) {
      if ('#text' in child) text += String(child['#text'])
      else {
        const element = build(child, namespaces)
        if (element) children.push(element)
      }
    }
    return { qname: resolve(tag, namespaces), attributes, children, text, namespaces }
  }
  for (const node of nodes) {
    const root = build(node, { xml: 'http://www.w3.org/XML/1998/namespace', xmlns: xmlnsNamespace })
    if (root) return root
  }
  throw new Error('no root element')
}

const lexical: Record<string, RegExp> = {
  string: /^[\s\S]*$/,
  int: /^[+-]?\d+$/,
  long: /^[+-]?\d+$/,
  short: /^[+-]?\d+$/,
  boolean: /^(true|false|1|0)$/,
  double: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN)$/,
  decimal: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  dateTime: /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
}

const ranges: Record<string, [bigint, bigint]> = {
  int: [-2147483648n, 2147483647n],
  short: [-32768n, 32767n],
  long: [-9223372036854775808n, 9223372036854775807n],
}

/** Every way `xml` (a whole SOAP envelope) breaks the WSDL's schema; empty when it conforms. */
export function checkEnvelope(schema: AtwsSchema, xml: string): string[] {
  const problems: string[] = []
  const inSchema = (qname: QName) => qname.namespace === schema.targetNamespace

  function checkSimple(element: XmlElement, type: string, path: string): void {
    const pattern = lexical[type]
    if (!pattern) {
      problems.push(`${path}: the checker does not know xsd:${type}`)
      return
    }
    if (element.children.length > 0) problems.push(`${path}: xsd:${type} has child elements`)
    const text = type === 'string' ? element.text : element.text.trim()
    if (!pattern.test(text)) {
      problems.push(`${path}: "${element.text}" is not a valid xsd:${type}`)
      return
    }
    const range = ranges[type]
    if (range && (BigInt(text) < range[0] || BigInt(text) > range[1])) problems.push(`${path}: ${text} is out of the xsd:${type} range`)
  }

  function sequenceOf(type: ComplexType): ElementDeclaration[] {
    if (!type.base) return type.sequence
    const base = inSchema(type.base) ? schema.complexTypes.get(type.base.local) : undefined
    return [...(base ? sequenceOf(base) : []), ...type.sequence]
  }

  function derivesFrom(type: ComplexType, ancestor: string): boolean {
    if (type.name === ancestor) return true
    if (!type.base || !inSchema(type.base)) return false
    const base = schema.complexTypes.get(type.base.local)
    return base ? derivesFrom(base, ancestor) : false
  }

  function checkComplex(element: XmlElement, type: ComplexType, path: string): void {
    if (element.text.trim() !== '') problems.push(`${path}: text in an element of complex type ${type.name}`)
    const sequence = sequenceOf(type)
    let position = 0
    let countAtPosition = 0
    for (const child of element.children) {
      const childPath = `${path}/${child.qname.local}`
      if (!inSchema(child.qname)) {
        problems.push(`${childPath}: in namespace "${child.qname.namespace}", not ${schema.targetNamespace}`)
        continue
      }
      let index = position
      while (index < sequence.length && sequence[index]!.name !== child.qname.local) index += 1
      if (index >= sequence.length) {
        const known = sequence.some((declaration) => declaration.name === child.qname.local)
        problems.push(`${childPath}: ${known ? 'out of the order of' : 'not declared in'} ${type.name}'s sequence`)
        continue
      }
      for (let skipped = position; skipped < index; skipped += 1) {
        const declaration = sequence[skipped]!
        if ((skipped === position ? countAtPosition : 0) < declaration.minOccurs)
          problems.push(`${path}: ${declaration.name} is required before ${child.qname.local}`)
      }
      if (index !== position) countAtPosition = 0
      position = index
      countAtPosition += 1
      const declaration = sequence[index]!
      if (countAtPosition > declaration.maxOccurs) problems.push(`${childPath}: more than ${declaration.maxOccurs} in ${type.name}`)
      checkElement(child, declaration, childPath)
    }
    for (let rest = position; rest < sequence.length; rest += 1) {
      const declaration = sequence[rest]!
      const seen = rest === position ? countAtPosition : 0
      if (seen < declaration.minOccurs) problems.push(`${path}: ${declaration.name} is missing`)
    }
  }

  function xsiType(element: XmlElement, path: string): QName | undefined {
    const attribute = Object.entries(element.attributes).find(([key]) => {
      const colon = key.indexOf(':')
      return colon > 0 && key.slice(colon + 1) === 'type' && element.namespaces[key.slice(0, colon)] === xsiNamespace
    })
    if (!attribute) return undefined
    try {
      return resolve(attribute[1], element.namespaces)
    } catch (error) {
      problems.push(`${path}: xsi:type ${(error as Error).message}`)
      return undefined
    }
  }

  function checkElement(element: XmlElement, declaration: ElementDeclaration, path: string): void {
    if (declaration.inline) return checkComplex(element, declaration.inline, path)
    const declared = declaration.type
    const given = xsiType(element, path)
    if (!declared) {
      // xs:anyType: what the value is must come with it, as an xsi:type of a simple XML Schema type.
      if (!given) return void problems.push(`${path}: an untyped (xs:anyType) element without xsi:type`)
      if (given.namespace !== xsdNamespace) return void problems.push(`${path}: xsi:type ${given.local} is not an XML Schema simple type`)
      return checkSimple(element, given.local, path)
    }
    if (declared.namespace === xsdNamespace) return checkSimple(element, declared.local, path)
    if (!inSchema(declared)) return void problems.push(`${path}: type in unknown namespace ${declared.namespace}`)
    const enumeration = schema.simpleTypes.get(declared.local)
    if (enumeration) {
      if (!enumeration.includes(element.text.trim())) problems.push(`${path}: "${element.text}" is not one of ${declared.local}'s values`)
      return
    }
    const type = schema.complexTypes.get(declared.local)
    if (!type) return void problems.push(`${path}: type ${declared.local} is not in the schema`)
    if (!type.abstract && !given) return checkComplex(element, type, path)
    // An abstract type (Entity) needs xsi:type naming a type derived from it.
    if (!given) return void problems.push(`${path}: ${declared.local} is abstract and the element has no xsi:type`)
    const actual = inSchema(given) ? schema.complexTypes.get(given.local) : undefined
    if (!actual || !derivesFrom(actual, type.name)) return void problems.push(`${path}: xsi:type ${given.local} is not a type derived from ${type.name}`)
    if (actual.abstract) return void problems.push(`${path}: xsi:type ${given.local} is abstract`)
    checkComplex(element, actual, path)
  }

  function checkTopLevel(element: XmlElement, path: string): void {
    if (!inSchema(element.qname)) return void problems.push(`${path}: in namespace "${element.qname.namespace}", not ${schema.targetNamespace}`)
    const declaration = schema.elements.get(element.qname.local)
    if (!declaration) return void problems.push(`${path}: no top-level element ${element.qname.local} in the schema`)
    checkElement(element, declaration, path)
  }

  let envelope: XmlElement
  try {
    envelope = readEnvelope(xml)
  } catch (error) {
    return [`the envelope is not well-formed XML: ${(error as Error).message}`]
  }
  if (envelope.qname.namespace !== soapNamespace || envelope.qname.local !== 'Envelope') return [`the root is ${envelope.qname.local}, not a SOAP 1.1 Envelope`]
  const header = envelope.children.find((child) => child.qname.namespace === soapNamespace && child.qname.local === 'Header')
  const body = envelope.children.find((child) => child.qname.namespace === soapNamespace && child.qname.local === 'Body')
  for (const entry of header?.children ?? []) checkTopLevel(entry, `Header/${entry.qname.local}`)
  if (!body || body.children.length !== 1) return [...problems, 'the Body must hold exactly one operation element']
  checkTopLevel(body.children[0]!, `Body/${body.children[0]!.qname.local}`)
  return problems
}
