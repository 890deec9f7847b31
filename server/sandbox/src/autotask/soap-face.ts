import { XMLParser } from 'fast-xml-parser'
import type { AutotaskEmulator } from './autotask-emulator'
import type { EmulatedDatabase } from './emulated-database'
import { maxEntitiesPerWrite } from './emulated-database'
import { formatEasternWireTime } from './eastern-wire-time'
import type { AutotaskFieldType, EmulatedEntityName } from './field-metadata'
import { emulatedEntityNames, emulatedFields } from './field-metadata'
import type { EmulatedRecord, FieldValue } from './record-query'
import { QueryRejection } from './record-query'
import { atwsNamespace } from './atws-wsdl'
import { parseQueryXml } from './soap-query-xml'
import { urlInZone } from './emulated-zones'
import type { XmlNode } from './soap-entity-input'
import { asNode, convertValue, EntityConversionError, readEntities, stripPrefix, textOf, UntypedEmptyElement } from './soap-entity-input'
import { startServiceClock } from '../service-clock'

/**
 * The SOAP 1.1 face of the emulator: reads an ATWS request envelope, plays Autotask's checks in
 * its order (outage, credentials, IntegrationCode, thresholds) and writes the response by hand, so
 * every field carries the xsi:type Autotask puts on it.
 */

export interface SoapRequest {
  body: string
  headers: Record<string, string | string[] | undefined>
  /** The absolute URL of the SOAP endpoint as the caller reached it. */
  endpointUrl: string
  /** The emulated zone the request reached ('' for the home zone). */
  zone?: string
}

export interface SoapReply {
  status: number
  headers: Record<string, string>
  body: string
}

const xmlType: Record<AutotaskFieldType, string> = {
  int: 'xsd:int',
  long: 'xsd:long',
  string: 'xsd:string',
  datetime: 'xsd:dateTime',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  decimal: 'xsd:decimal',
  short: 'xsd:short',
}

const fieldInfoType: Record<AutotaskFieldType, string> = {
  int: 'integer',
  long: 'long',
  string: 'string',
  datetime: 'datetime',
  boolean: 'boolean',
  double: 'double',
  decimal: 'decimal',
  short: 'short',
}

const envelopeParser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'Entity' || name === 'UserDefinedField',
})

/** Text that may go into an XML 1.0 document; anything else is dropped on the way out. */
function escapeText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;')
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`
}

const xmlHeaders = { 'content-type': 'text/xml; charset=utf-8' }

function ok(body: string): SoapReply {
  return { status: 200, headers: xmlHeaders, body: envelope(body) }
}

function fault(message: string, code: 'soap:Client' | 'soap:Server' = 'soap:Server'): SoapReply {
  return {
    status: 500,
    headers: xmlHeaders,
    body: envelope(`<soap:Fault><faultcode>${code}</faultcode><faultstring>${escapeText(message)}</faultstring><detail /></soap:Fault>`),
  }
}

function renderValue(type: AutotaskFieldType, value: FieldValue): string {
  if (value instanceof Date) return formatEasternWireTime(value)
  if (type === 'boolean') return value ? 'true' : 'false'
  return escapeText(String(value))
}

function renderEntity(entity: EmulatedEntityName, record: EmulatedRecord): string {
  const udfValues = Object.entries(record.udfs)
  const udfs = udfValues.some(([, value]) => value !== null)
    ? `<UserDefinedFields>${udfValues
        .map(
          ([name, value]) =>
            `<UserDefinedField><Name>${escapeText(name)}</Name>${value === null ? '' : `<Value>${escapeText(value)}</Value>`}</UserDefinedField>`,
        )
        .join('')}</UserDefinedFields>`
    : ''
  const fields = emulatedFields[entity]
    .filter((field) => field.name !== 'id')
    .map((field) => {
      const value = record.fields[field.name] ?? null
      if (value === null && field.type !== 'string') return ''
      const text = value === null ? '' : renderValue(field.type, value)
      return text === '' ? `<${field.name} xsi:type="${xmlType[field.type]}" />` : `<${field.name} xsi:type="${xmlType[field.type]}">${text}</${field.name}>`
    })
    .join('')
  return `<Entity xsi:type="${entity}"><id>${record.id}</id>${udfs}${fields}</Entity>`
}

function returnInfo(entityId: number, message = ''): string {
  return `<EntityReturnInfo><EntityId>${entityId}</EntityId><DatabaseAction>None</DatabaseAction><DuplicateStatus><Found>false</Found><MatchInfo /><Ignored>false</Ignored></DuplicateStatus><Message>${escapeText(message)}</Message></EntityReturnInfo>`
}

function atwsResponse(operation: string, result: { entity?: EmulatedEntityName; records?: EmulatedRecord[]; errors?: string[]; infos?: string }): SoapReply {
  const records = result.records ?? []
  const errors = result.errors ?? []
  const entities =
    result.entity && records.length > 0
      ? `<EntityResults>${records.map((record) => renderEntity(result.entity as EmulatedEntityName, record)).join('')}</EntityResults>`
      : '<EntityResults />'
  const errorXml =
    errors.length > 0
      ? `<Errors>${errors.map((message) => `<ATWSError><Message>${escapeText(message)}</Message></ATWSError>`).join('')}</Errors>`
      : '<Errors />'
  const infos = result.infos ?? (records.length > 0 ? records.map((record) => returnInfo(record.id)).join('') : '')
  return ok(
    `<${operation}Response xmlns="${atwsNamespace}"><${operation}Result><ReturnCode>${errors.length > 0 ? -1 : 1}</ReturnCode>${entities}<EntityResultType>${(result.entity ?? '').toLowerCase()}</EntityResultType>${errorXml}${infos ? `<EntityReturnInfoResults>${infos}</EntityReturnInfoResults>` : '<EntityReturnInfoResults />'}</${operation}Result></${operation}Response>`,
  )
}

function header(headers: SoapRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

function basicCredentials(headers: SoapRequest['headers']): { userName: string; secret: string } | undefined {
  const authorization = header(headers, 'authorization')
  const match = authorization ? /^Basic\s+(.+)$/i.exec(authorization.trim()) : null
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { userName: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

/** How many entities a create or update carries (0 for other operations): each adds to its latency. */
function writtenEntities(operation: string, operationNode: XmlNode): number {
  if (operation !== 'create' && operation !== 'update') return 0
  const list = asNode(operationNode.Entities).Entity
  return Array.isArray(list) ? list.length : 0
}

function fieldInfo(database: EmulatedDatabase, entity: EmulatedEntityName): string {
  return emulatedFields[entity]
    .map((field) => {
      const values = database.picklistValues(entity, field.name)
      const picklist = values
        .map(
          (value) =>
            `<PickListValue><Value>${value.value}</Value><Label>${escapeText(value.label)}</Label><IsDefaultValue>${value.isDefault}</IsDefaultValue><SortOrder>${value.sortOrder}</SortOrder><parentValue>${value.parentValue ?? ''}</parentValue><IsActive>${value.isActive}</IsActive><IsSystem>${value.isSystem}</IsSystem></PickListValue>`,
        )
        .join('')
      return `<Field><Name>${field.name}</Name><Label>${escapeText(field.label)}</Label><Type>${fieldInfoType[field.type]}</Type><Length>${field.length}</Length><Description /><IsRequired>${field.isRequired}</IsRequired><IsReadOnly>${field.isReadOnly}</IsReadOnly><IsQueryable>${field.isQueryable}</IsQueryable><IsReference>${field.referenceEntityType !== null}</IsReference><ReferenceEntityType>${field.referenceEntityType ?? ''}</ReferenceEntityType><IsPickList>${field.isPickList}</IsPickList><PicklistValues>${picklist}</PicklistValues><PicklistParentValueField>${field.picklistParentValueField ?? ''}</PicklistParentValueField><DefaultValue /></Field>`
    })
    .join('')
}

function zoneInfo(emulator: AutotaskEmulator, userName: string, endpointUrl: string): SoapReply {
  const database = emulator.findDatabaseByUser(userName)
  const zoneUrl = database ? urlInZone(endpointUrl, emulator.zoneOf(database)) : ''
  const body = database
    ? `<URL>${escapeText(zoneUrl)}</URL><ErrorCode>0</ErrorCode><DataBaseType>Pro</DataBaseType><CI>${database.ci}</CI><WebUrl>${escapeText(new URL('/', zoneUrl).toString())}</WebUrl>`
    : '<URL /><ErrorCode>-1</ErrorCode><DataBaseType /><CI>-1</CI><WebUrl />'
  return ok(`<getZoneInfoResponse xmlns="${atwsNamespace}"><getZoneInfoResult>${body}</getZoneInfoResult></getZoneInfoResponse>`)
}

export const invalidIntegrationCode = 'IntegrationCode is invalid.'

const unauthorizedHtml =
  '<html><head><title>401 - Unauthorized</title></head><body><h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>'

function unauthorized(endpointUrl: string): SoapReply {
  const host = new URL(endpointUrl).host
  return { status: 401, headers: { 'www-authenticate': `Basic Realm="${host}"`, 'content-type': 'text/html' }, body: unauthorizedHtml }
}

const outageHtml =
  '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>HTTP Error 503. The service is unavailable.</p></body></html>'

const knownOperations = new Map<string, string>([
  ['getzoneinfo', 'getZoneInfo'],
  ['query', 'query'],
  ['create', 'create'],
  ['update', 'update'],
  ['getfieldinfo', 'GetFieldInfo'],
  ['getentityinfo', 'GetEntityInfo'],
  ['getthresholdandusageinfo', 'getThresholdAndUsageInfo'],
])

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Which thread slot a request takes: Autotask limits threads per integration and "object endpoint". */
function slotEntity(operation: string, operationNode: XmlNode): string {
  if (operation === 'query') {
    const match = /<entity>\s*([^<\s]+)\s*<\/entity>/i.exec(textOf(operationNode.sXML) ?? '')
    return match?.[1] ?? 'query'
  }
  if (operation === 'create' || operation === 'update') {
    const first = asNode((asNode(operationNode.Entities).Entity as unknown[] | undefined)?.[0])
    return stripPrefix(String(first['@_type'] ?? operation))
  }
  if (operation === 'GetFieldInfo') return textOf(operationNode.psObjectType) ?? operation
  return operation
}

export async function handleSoapRequest(emulator: AutotaskEmulator, request: SoapRequest): Promise<SoapReply> {
  const clock = startServiceClock()
  if (emulator.isInOutage()) {
    emulator.countRejection('outage')
    return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '30' }, body: outageHtml }
  }
  let body: XmlNode
  try {
    body = asNode(asNode(asNode(envelopeParser.parse(request.body)).Envelope).Body)
  } catch {
    return fault('Server was unable to read request. ---> There is an error in XML document.', 'soap:Client')
  }
  const elementName = Object.keys(body).find((key) => !key.startsWith('@_') && key !== '#text') ?? ''
  const operation = knownOperations.get(elementName.toLowerCase())
  const soapAction = (header(request.headers, 'soapaction') ?? '').trim().replace(/^"(.*)"$/, '$1')
  if (!operation) {
    emulator.count('unknown')
    return fault(`Server did not recognize the value of HTTP Header SOAPAction: ${soapAction}.`, 'soap:Client')
  }
  const operationNode = asNode(body[elementName])
  const entity = slotEntity(operation, operationNode)
  const countedEntity = operation === 'getZoneInfo' || operation === 'getThresholdAndUsageInfo' || operation === 'GetEntityInfo' ? undefined : entity
  emulator.count(operation, countedEntity)

  if (operation === 'getZoneInfo') {
    await delay(emulator.faults.latencyMs)
    return zoneInfo(emulator, textOf(operationNode.UserName) ?? '', request.endpointUrl)
  }

  const credentials = basicCredentials(request.headers)
  const database = credentials ? emulator.authenticate(credentials.userName, credentials.secret) : undefined
  if (!database) {
    emulator.countRejection('auth')
    return unauthorized(request.endpointUrl)
  }
  if (emulator.zoneOf(database) !== (request.zone ?? '')) {
    // The tenant moved to another zone: this one no longer knows the user (guess: see SOURCES.md).
    emulator.countRejection('movedZone')
    return unauthorized(request.endpointUrl)
  }
  const integrations = asNode(asNode(asNode(envelopeParser.parse(request.body)).Envelope).Header).AutotaskIntegrations
  const integrationCode = (textOf(asNode(integrations).IntegrationCode) ?? '').trim()
  if (integrationCode !== database.integrationCode) {
    emulator.countRejection('integrationCode')
    // ATWS answers in its own response (python-atws issue #64); for a missing code the same text is a guess.
    if (operation === 'GetFieldInfo' || operation === 'GetEntityInfo') return fault(invalidIntegrationCode)
    return atwsResponse(operation, { errors: [invalidIntegrationCode] })
  }

  const admission = emulator.admit(database, integrationCode, entity, operation)
  if ('kind' in admission) {
    const returnsAtwsResponse = operation !== 'GetFieldInfo' && operation !== 'GetEntityInfo'
    if (emulator.faults.thresholdErrorStyle === 'atws-error' && returnsAtwsResponse) return atwsResponse(operation, { errors: [admission.message] })
    return fault(admission.message)
  }
  try {
    const written = writtenEntities(operation, operationNode)
    await clock.wait(emulator.whileHeld())
    await clock.wait(delay(emulator.faults.latencyMs + emulator.faults.latencyPerEntityMs * written))
    if (emulator.shouldInjectError()) {
      emulator.countRejection('injectedError')
      return fault(
        'Server was unable to process request. ---> Timeout expired. The timeout period elapsed prior to completion of the operation or the server is not responding.',
      )
    }
    const reply = dispatch(emulator, database, operation, operationNode)
    emulator.countService(operation, countedEntity, clock, written)
    return reply
  } finally {
    admission.release()
  }
}

function dispatch(emulator: AutotaskEmulator, database: EmulatedDatabase, operation: string, operationNode: XmlNode): SoapReply {
  switch (operation) {
    case 'query': {
      try {
        const { entity, condition } = parseQueryXml(textOf(operationNode.sXML) ?? '', convertValue)
        return atwsResponse('query', { entity, records: database.query(entity, condition) })
      } catch (error) {
        if (error instanceof QueryRejection) return atwsResponse('query', { errors: [error.message] })
        throw error
      }
    }
    case 'create':
    case 'update': {
      let parsed: ReturnType<typeof readEntities>
      try {
        parsed = readEntities(operationNode)
      } catch (error) {
        const verb = operation === 'create' ? 'creating' : 'updating'
        if (error instanceof UntypedEmptyElement)
          return atwsResponse(operation, { errors: [error.message, `Error ${verb} entity for record number [${error.recordNumber}].`] })
        if (error instanceof EntityConversionError) return atwsResponse(operation, { errors: [error.message, `Error ${verb} entity for record number [1].`] })
        throw error
      }
      if (parsed.unknownType !== undefined)
        return fault(`Server was unable to read request. ---> The specified type was not recognized: name='${parsed.unknownType}'.`, 'soap:Client')
      if (!parsed.entity || parsed.inputs.length === 0) return atwsResponse(operation, { errors: ['No entities were supplied.'] })
      if (parsed.inputs.length > maxEntitiesPerWrite) {
        return atwsResponse(operation, { entity: parsed.entity, errors: [`The number of entities in one call is limited to ${maxEntitiesPerWrite}.`] })
      }
      if (parsed.entity === 'Resource') {
        return atwsResponse(operation, {
          entity: parsed.entity,
          errors: [`The logged in resource does not have the required permissions to ${operation} Resource entities.`],
        })
      }
      const outcome = operation === 'create' ? database.create(parsed.entity, parsed.inputs) : database.update(parsed.entity, parsed.inputs)
      return outcome.ok
        ? atwsResponse(operation, { entity: parsed.entity, records: outcome.records })
        : atwsResponse(operation, { entity: parsed.entity, errors: outcome.errors })
    }
    case 'GetFieldInfo': {
      const requested = (textOf(operationNode.psObjectType) ?? '').trim()
      const entity = emulatedEntityNames.find((name) => name.toLowerCase() === requested.toLowerCase())
      if (!entity) return fault(`Server was unable to process request. ---> Invalid entity type: ${requested}`)
      return ok(`<GetFieldInfoResponse xmlns="${atwsNamespace}"><GetFieldInfoResult>${fieldInfo(database, entity)}</GetFieldInfoResult></GetFieldInfoResponse>`)
    }
    case 'GetEntityInfo': {
      const infos = emulatedEntityNames
        .map((entity) => {
          const writable = entity !== 'Resource'
          const hasUdfs = (database.udfNames?.[entity]?.length ?? 0) > 0
          return `<EntityInfo><Name>${entity}</Name><CanUpdate>${writable}</CanUpdate><CanDelete>false</CanDelete><CanCreate>${writable}</CanCreate><CanQuery>true</CanQuery><HasUserDefinedFields>${hasUdfs}</HasUserDefinedFields></EntityInfo>`
        })
        .join('')
      return ok(`<GetEntityInfoResponse xmlns="${atwsNamespace}"><GetEntityInfoResult>${infos}</GetEntityInfoResult></GetEntityInfoResponse>`)
    }
    case 'getThresholdAndUsageInfo': {
      const message = `ThresholdOfExternalRequest: ${emulator.faults.hourlyLimit}; TimeframeOfLimitation: 60; numberOfExternalRequest: ${emulator.requestsLastHour(database.key)};`
      return atwsResponse('getThresholdAndUsageInfo', { infos: returnInfo(0, message) })
    }
    default:
      return fault(`Server did not recognize the operation ${operation}.`, 'soap:Client')
  }
}
