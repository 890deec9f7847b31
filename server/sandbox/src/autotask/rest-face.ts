import type { AdmissionRejection, AutotaskEmulator } from './autotask-emulator'
import type { EmulatedDatabase, EntityInput } from './emulated-database'
import { maxRowsPerQuery } from './emulated-database'
import type { EmulatedEntityName } from './field-metadata'
import { emulatedEntityNames, emulatedFields } from './field-metadata'
import type { FieldValue, RecordCondition } from './record-query'
import { QueryRejection } from './record-query'
import { entityFromRestName, restEntityNames, restFieldName, restMessage } from './rest-names'
import { conditionFromFilter, inputFromJson, recordToJson, RestConversionError } from './rest-wire'
import { urlInZone } from './emulated-zones'
import { startServiceClock } from '../service-clock'

/**
 * The REST (v1.0) face of the emulator, on the same databases, limits, faults and counters as the
 * SOAP face. It plays REST's own answers: camelCase JSON, UTC, `{errors:[…]}` bodies with HTTP 500
 * for validation, an empty 401 for credentials it refuses, 500 for a wrong integration code. Where
 * each text comes from: SOURCES.md.
 */

export interface RestRequest {
  method: string
  /** The path after `…/ATServicesRest/V1.0/`, without the query string. */
  path: string
  query: Record<string, string | undefined>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  /** `http://host/…/ATServicesRest/V1.0/` as the caller reached it (for nextPageUrl). */
  baseUrl: string
  /** The emulated zone the request reached ('' for the home zone). */
  zone?: string
}

/** zoneInformation's answer for a user it cannot place, captured from the live API. */
export const zoneNotDetermined = 'Zone information could not be determined'
/** ATWS's text for a wrong integration code (python-atws issue #64); REST's own text is not published. */
export const invalidIntegrationCode = 'IntegrationCode is invalid.'

/** Autotask refuses credentials with an empty 401 (measured 2026 by a public client). */
function unauthorized(): RestReply {
  return { status: 401, headers: {}, body: '' }
}

export interface RestReply {
  status: number
  headers: Record<string, string>
  /** JSON, or HTML text for the outage page. */
  body: unknown
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' }

function json(status: number, body: unknown): RestReply {
  return { status, headers: jsonHeaders, body }
}

function errors(status: number, ...messages: string[]): RestReply {
  return json(status, { errors: messages })
}

/** ASP.NET Web API's own answers for a path or verb it has no route for. */
function notFound(request: RestRequest): RestReply {
  return json(404, { Message: `No HTTP resource was found that matches the request URI '${request.baseUrl}${request.path}'.` })
}

function notAllowed(method: string): RestReply {
  return json(405, { Message: `The requested resource does not support http method '${method}'.` })
}

const outageHtml =
  '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>HTTP Error 503. The service is unavailable.</p></body></html>'

function header(headers: RestRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return (Array.isArray(value) ? value[0] : value)?.trim()
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** `GET /atservicesrest/v1.0/zoneInformation?user=` — unauthenticated, exempt from the thresholds. */
export function zoneInformation(emulator: AutotaskEmulator, user: string | undefined, restRootUrl: string): RestReply {
  emulator.count('zoneInformation', undefined, 'rest')
  if (emulator.isInOutage()) {
    emulator.countRejection('outage')
    return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '30' }, body: outageHtml }
  }
  const database = user ? emulator.findDatabaseByUser(user) : undefined
  if (!database) return errors(500, zoneNotDetermined)
  const url = urlInZone(restRootUrl, emulator.zoneOf(database))
  return json(200, { zoneName: 'PSA Link Sandbox', url, webUrl: new URL('/', url).toString(), ci: database.ci })
}

type Route =
  | { kind: 'threshold' }
  | { kind: 'entityInformation'; entity: EmulatedEntityName; part: 'info' | 'fields' | 'userDefinedFields' }
  | { kind: 'get'; entity: EmulatedEntityName; id: number }
  | { kind: 'query'; entity: EmulatedEntityName; page: 'first' | 'next' | 'count' }
  | { kind: 'write'; entity: EmulatedEntityName; mode: 'create' | 'patch' | 'put' }
  | { kind: 'childCreate'; entity: EmulatedEntityName; parentId: number }

/** What a path and verb mean, or the HTTP answer for a route that does not exist. */
function resolve(request: RestRequest): Route | RestReply {
  const method = request.method.toUpperCase()
  const segments = request.path.split('/').filter((segment) => segment !== '')
  const [first = '', second, third, fourth] = segments
  if (first.toLowerCase() === 'thresholdinformation' && segments.length === 1) return method === 'GET' ? { kind: 'threshold' } : notAllowed(method)
  const entity = entityFromRestName(first)
  if (!entity) return notFound(request)
  const lowerSecond = second?.toLowerCase()
  if (segments.length === 1) {
    if (method === 'DELETE' || (entity === 'Resource' && method !== 'GET') || method === 'GET') return notAllowed(method)
    if (entity === 'TicketNote' && method === 'POST') return notFound(request)
    if (method === 'POST') return { kind: 'write', entity, mode: 'create' }
    if (method === 'PATCH') return { kind: 'write', entity, mode: 'patch' }
    if (method === 'PUT') return { kind: 'write', entity, mode: 'put' }
    return notAllowed(method)
  }
  if (lowerSecond === 'entityinformation') {
    if (method !== 'GET') return notAllowed(method)
    const part = third?.toLowerCase()
    if (segments.length === 2) return { kind: 'entityInformation', entity, part: 'info' }
    if (segments.length === 3 && part === 'fields') return { kind: 'entityInformation', entity, part: 'fields' }
    if (segments.length === 3 && part === 'userdefinedfields') return { kind: 'entityInformation', entity, part: 'userDefinedFields' }
    return notFound(request)
  }
  if (lowerSecond === 'query') {
    const page =
      segments.length === 2
        ? 'first'
        : third?.toLowerCase() === 'next' && segments.length === 3
          ? 'next'
          : third?.toLowerCase() === 'count' && segments.length === 3
            ? 'count'
            : undefined
    if (!page) return notFound(request)
    if (method === 'POST' || (method === 'GET' && page !== 'next')) return { kind: 'query', entity, page }
    return notAllowed(method)
  }
  if (second !== undefined && /^\d+$/.test(second)) {
    const id = Number(second)
    if (segments.length === 2) return method === 'GET' ? { kind: 'get', entity, id } : notAllowed(method)
    if (entity === 'Ticket' && third?.toLowerCase() === 'notes' && segments.length === 3 && fourth === undefined) {
      return method === 'POST' ? { kind: 'childCreate', entity: 'TicketNote', parentId: id } : notAllowed(method)
    }
  }
  return notFound(request)
}

function operationOf(route: Route): { operation: string; slot: string } {
  switch (route.kind) {
    case 'threshold':
      return { operation: 'ThresholdInformation', slot: 'ThresholdInformation' }
    case 'entityInformation':
      return { operation: 'entityInformation', slot: route.entity }
    case 'get':
    case 'query':
      return { operation: 'query', slot: route.entity }
    case 'write':
      return { operation: route.mode === 'create' ? 'create' : 'update', slot: route.entity }
    case 'childCreate':
      return { operation: 'create', slot: route.entity }
  }
}

/** Autotask rejects with 429 once the hour's budget or the thread slots are used up. */
function thresholdReply(rejection: AdmissionRejection): RestReply {
  return errors(429, rejection.message)
}

export async function handleRestRequest(emulator: AutotaskEmulator, request: RestRequest): Promise<RestReply> {
  const clock = startServiceClock()
  if (emulator.isInOutage()) {
    emulator.countRejection('outage')
    return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '30' }, body: outageHtml }
  }
  const route = resolve(request)
  if (!('kind' in route)) {
    emulator.count('unknown', undefined, 'rest')
    return route
  }
  const { operation, slot } = operationOf(route)
  emulator.count(operation, route.kind === 'threshold' ? undefined : route.entity, 'rest')

  const userName = header(request.headers, 'username') ?? ''
  const database = userName === '' ? undefined : emulator.authenticate(userName, header(request.headers, 'secret') ?? '')
  if (!database) {
    emulator.countRejection('auth')
    return unauthorized()
  }
  if (emulator.zoneOf(database) !== (request.zone ?? '')) {
    // The tenant moved to another zone (guess: see SOURCES.md).
    emulator.countRejection('movedZone')
    return errors(500, zoneNotDetermined)
  }
  const integrationCode = header(request.headers, 'apiintegrationcode') ?? ''
  if (integrationCode !== database.integrationCode) {
    emulator.countRejection('integrationCode')
    return errors(500, invalidIntegrationCode)
  }

  const admission = emulator.admit(database, integrationCode, slot, operation)
  if ('kind' in admission) return thresholdReply(admission)
  try {
    await clock.wait(emulator.whileHeld())
    // REST writes one entity per call: each create or update pays the per-entity cost once.
    const written = operation === 'create' || operation === 'update' ? 1 : 0
    await clock.wait(delay(emulator.faults.latencyMs + written * emulator.faults.latencyPerEntityMs))
    if (emulator.shouldInjectError()) {
      emulator.countRejection('injectedError')
      return errors(500, 'Timeout expired. The timeout period elapsed prior to completion of the operation or the server is not responding.')
    }
    const reply = dispatch(emulator, database, route, request)
    emulator.countService(operation, route.kind === 'threshold' ? undefined : route.entity, clock, written)
    return reply
  } finally {
    admission.release()
  }
}

function dispatch(emulator: AutotaskEmulator, database: EmulatedDatabase, route: Route, request: RestRequest): RestReply {
  const impersonated = impersonatedResource(database, request)
  if (typeof impersonated === 'object') return impersonated
  try {
    switch (route.kind) {
      case 'threshold':
        return json(200, {
          externalRequestThreshold: emulator.faults.hourlyLimit,
          requestThresholdTimeframe: 60,
          currentTimeframeRequestCount: emulator.requestsLastHour(database.key),
        })
      case 'entityInformation':
        return json(200, entityInformation(database, route.entity, route.part))
      case 'get': {
        const record = database.records[route.entity].get(route.id)
        return json(200, { item: record ? recordToJson(route.entity, record) : null })
      }
      case 'query':
        return query(database, route.entity, route.page, request)
      case 'write':
        return write(database, route.entity, route.mode, request.body, impersonated)
      case 'childCreate': {
        const body =
          request.body !== null && typeof request.body === 'object' ? { ...(request.body as Record<string, unknown>), ticketID: route.parentId } : request.body
        return write(database, route.entity, 'create', body, impersonated)
      }
    }
  } catch (error) {
    if (error instanceof QueryRejection || error instanceof RestConversionError) return errors(500, error.message)
    throw error
  }
}

interface QueryBody {
  filter?: unknown
  Filter?: unknown
  MaxRecords?: unknown
  maxRecords?: unknown
  IncludeFields?: unknown
  includeFields?: unknown
}

function queryBody(request: RestRequest): QueryBody {
  if (request.method.toUpperCase() === 'GET') {
    try {
      const parsed: unknown = JSON.parse(request.query.search ?? '')
      return parsed !== null && typeof parsed === 'object' ? (parsed as QueryBody) : {}
    } catch {
      throw new QueryRejection('The search parameter is not valid JSON.')
    }
  }
  return request.body !== null && typeof request.body === 'object' ? (request.body as QueryBody) : {}
}

interface PagingToken {
  lastId: number
}

function readPaging(text: string | undefined): PagingToken {
  try {
    const parsed = JSON.parse(text ?? '') as { lastId?: unknown }
    if (typeof parsed.lastId === 'number') return { lastId: parsed.lastId }
  } catch {
    // falls through to the rejection below
  }
  throw new QueryRejection('The paging parameter is not valid.')
}

function afterId(condition: RecordCondition, lastId: number): RecordCondition {
  return { kind: 'and', of: [condition, { kind: 'test', field: 'id', udf: false, operator: 'greaterthan', value: lastId }] }
}

/** Rows by id, at most MaxRecords (1–500) per page; nextPageUrl continues after the last id, with the same body. */
function query(database: EmulatedDatabase, entity: EmulatedEntityName, page: 'first' | 'next' | 'count', request: RestRequest): RestReply {
  const body = queryBody(request)
  const condition = conditionFromFilter(entity, body.filter ?? body.Filter)
  if (page === 'count') return json(200, { queryCount: database.count(entity, condition) })
  const rawMax = body.MaxRecords ?? body.maxRecords ?? maxRowsPerQuery
  const maxRecords = Number(rawMax)
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > maxRowsPerQuery) return errors(500, 'maxCountOfRecordsToReturn must be between 1 and 500')
  const include = body.IncludeFields ?? body.includeFields
  const includeFields = Array.isArray(include) ? include.filter((name): name is string => typeof name === 'string') : undefined
  const paging = page === 'next' ? readPaging(request.query.paging) : undefined
  const rows = database.query(entity, paging ? afterId(condition, paging.lastId) : condition).slice(0, maxRecords)
  const last = rows[rows.length - 1]
  const more = last !== undefined && database.count(entity, afterId(condition, last.id)) > 0
  const link = (token: PagingToken) =>
    `${request.baseUrl}${restEntityNames[entity]}/query/next?paging=${encodeURIComponent(JSON.stringify({ pageSize: maxRecords, ...token }))}`
  return json(200, {
    items: rows.map((row) => recordToJson(entity, row, includeFields)),
    pageDetails: {
      count: rows.length,
      requestCount: maxRecords,
      prevPageUrl: null,
      nextPageUrl: more && last ? link({ lastId: last.id }) : null,
    },
  })
}

/**
 * The optional `ImpersonationResourceId` header: the write is that resource's (it becomes the
 * creator, CreatorResourceID, and the ticket's last-activity resource) while the API user is kept
 * as a note's ImpersonatorCreatorResourceID, as SOAP's ImpersonateAsResourceID does. An unknown or inactive
 * resource is refused. Returns the resource id, undefined without the header, or the error reply.
 */
function impersonatedResource(database: EmulatedDatabase, request: RestRequest): number | undefined | RestReply {
  const raw = header(request.headers, 'impersonationresourceid')
  if (raw === undefined || raw.trim() === '') return undefined
  const resourceId = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  const resource = database.records.Resource.get(resourceId)
  if (!resource || resource.fields.Active !== true) return errors(500, `ImpersonationResourceId ${raw.trim()} is not an active resource.`)
  return resourceId
}

/** One entity per call: REST has no batches. PATCH changes only the fields sent; PUT replaces the whole entity as SOAP update does. */
function write(
  database: EmulatedDatabase,
  entity: EmulatedEntityName,
  mode: 'create' | 'patch' | 'put',
  body: unknown,
  impersonatedResourceId?: number,
): RestReply {
  const actor = impersonatedResourceId === undefined ? undefined : { resourceId: impersonatedResourceId }
  const input = inputFromJson(entity, body)
  let outcome
  if (mode === 'create') {
    outcome = database.create(entity, [{ fields: input.fields, ...(input.udfs ? { udfs: input.udfs } : {}) }], actor)
    const created = outcome.ok ? database.records[entity].get(outcome.records[0]?.id ?? 0) : undefined
    if (created && actor && entity === 'TicketNote') created.fields.ImpersonatorCreatorResourceID = database.apiResourceId
  } else {
    if (input.id === undefined) return errors(500, `The id of the ${restEntityNames[entity]} entity to update is required.`)
    const existing = database.records[entity].get(input.id)
    const merged: EntityInput =
      mode === 'patch' && existing
        ? {
            id: input.id,
            fields: { ...existing.fields, ...input.fields } as Record<string, FieldValue>,
            ...(input.udfs ? { udfs: { ...existing.udfs, ...input.udfs } } : {}),
          }
        : input
    outcome = database.update(entity, [merged], actor)
  }
  if (!outcome.ok) return errors(500, ...outcome.errors.map((message) => restMessage(entity, message)))
  return json(200, { itemId: outcome.records[0]?.id ?? null })
}

const dataType: Record<string, string> = {
  int: 'integer',
  long: 'long',
  short: 'short',
  string: 'string',
  datetime: 'datetime',
  boolean: 'boolean',
  double: 'double',
  decimal: 'decimal',
}

function referenceName(name: string | null): string | null {
  if (name === null) return null
  const known = emulatedEntityNames.find((entity) => entity === name)
  return known ? restEntityNames[known] : name
}

function entityInformation(database: EmulatedDatabase, entity: EmulatedEntityName, part: 'info' | 'fields' | 'userDefinedFields') {
  const udfNames = database.udfNames?.[entity] ?? []
  if (part === 'info') {
    const writable = entity !== 'Resource'
    return {
      info: {
        name: restEntityNames[entity],
        canCreate: writable,
        canDelete: false,
        canQuery: true,
        canUpdate: writable,
        hasUserDefinedFields: udfNames.length > 0,
        supportsWebhookCallouts: entity !== 'Resource',
      },
    }
  }
  if (part === 'userDefinedFields') {
    return {
      fields: udfNames.map((name) => ({
        name,
        label: name,
        dataType: 'string',
        length: 1024,
        isRequired: false,
        isReadOnly: false,
        isQueryable: true,
        isReference: false,
        isPickList: false,
        picklistValues: null,
      })),
    }
  }
  return {
    fields: emulatedFields[entity].map((field) => {
      const values = database.picklistValues(entity, field.name)
      return {
        name: restFieldName(entity, field),
        dataType: dataType[field.type] ?? field.type,
        length: field.length,
        isRequired: field.isRequired,
        isReadOnly: field.isReadOnly,
        isQueryable: field.isQueryable,
        isReference: field.referenceEntityType !== null,
        referenceEntityType: referenceName(field.referenceEntityType),
        isPickList: field.isPickList,
        picklistValues: field.isPickList
          ? values.map((value) => ({
              value: String(value.value),
              label: value.label,
              isDefaultValue: value.isDefault,
              sortOrder: value.sortOrder,
              parentValue: value.parentValue === undefined ? null : String(value.parentValue),
              isActive: value.isActive,
              isSystem: value.isSystem,
            }))
          : null,
        picklistParentValueField: field.picklistParentValueField === null ? null : camelField(entity, field.picklistParentValueField),
        isSupportedWebhookField: false,
      }
    }),
  }
}

function camelField(entity: EmulatedEntityName, soapName: string): string {
  const field = emulatedFields[entity].find((candidate) => candidate.name === soapName)
  return field ? restFieldName(entity, field) : soapName
}
