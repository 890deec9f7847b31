import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'

/**
 * Zendesk's own OpenAPI documents as the judge of what the emulator answers and what the client
 * sends. They are read at run time from ../shared/reference/zendesk (never copied into the repo);
 * when they are missing every check fails with a message saying so.
 *
 * OpenAPI 3.0 schemas are almost JSON Schema; the differences handled here:
 * - `nullable: true` (Ajv understands it next to `type`), and optional properties of answers may be
 *   null (see orNull);
 * - `$ref: '#/components/…'` resolves inside the document, registered whole under its own id;
 * - `readOnly` / `writeOnly` become checks: a request must not send a read-only property, an answer
 *   must not carry a write-only one. Properties whose description starts "Write only" or "POST
 *   requests only" (Zendesk marks some that way without the keyword) count as write-only;
 * - OpenAPI's own formats (int64, float …) are accepted as annotations.
 */
export type ZendeskApi = 'support' | 'webhooks'
export type Direction = 'request' | 'response'

const REFERENCE_DIR = fileURLToPath(new URL('../../../shared/reference/zendesk/', import.meta.url))

const DOCUMENTS: Record<ZendeskApi, { file: string; pathPrefix: string }> = {
  support: { file: 'zendesk-support-api.oas.yaml', pathPrefix: '' },
  // The webhooks document's server is https://{subdomain}.zendesk.com/api/v2, its paths start at /webhooks.
  webhooks: { file: 'zendesk-webhooks-api.oas.yaml', pathPrefix: '/api/v2' },
}

type Schema = Record<string, unknown>
type OpenApiDocument = { paths: Record<string, Record<string, Schema>>; components?: Schema }

const WRITE_ONLY_DESCRIPTION = /^\s*(write only|post requests only)\b/i

function missingReference(directory: string, file: string): Error {
  return new Error(
    `Zendesk's OpenAPI document ${file} is missing from ${directory}. These checks need the shared reference folder ` +
      '(../shared/reference/zendesk next to the repository); it is never copied into the repository.',
  )
}

/**
 * Where the document contradicts Zendesk's own prose and examples, the prose wins. Each correction
 * names what it rests on; everything else is taken from the document as published.
 */
const CORRECTIONS: Array<{ api: ZendeskApi; why: string; apply(document: OpenApiDocument): void }> = [
  {
    api: 'support',
    why:
      'TicketUpdateInput/TicketCreateInput.custom_fields point at CustomFieldObject (a user/organization field definition), ' +
      'but "Setting custom field values" (creating-and-updating-tickets) and the TicketObject example send [{id, value}]',
    apply(document) {
      const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>
      const fieldValue = {
        type: 'object',
        required: ['id', 'value'],
        properties: { id: { type: 'integer' }, value: { description: 'string, number, boolean, array of tags or null' } },
      }
      for (const name of ['TicketUpdateInput', 'TicketCreateInput']) {
        const customFields = (schemas[name]?.properties as Record<string, Schema> | undefined)?.custom_fields
        if (customFields) customFields.items = fieldValue
      }
    },
  },
  {
    api: 'support',
    why: 'Create Ticket Field documents no request body; the prose and the response show it as {"ticket_field": {type, title, …}}',
    apply(document) {
      const post = document.paths['/api/v2/ticket_fields']?.post
      if (post && !post.requestBody) {
        post.requestBody = {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['ticket_field'], properties: { ticket_field: { $ref: '#/components/schemas/TicketFieldObject' } } },
            },
          },
        }
      }
    },
  },
  {
    api: 'support',
    why:
      'AuditObject events[].value is string or integer in the document, but the Ticket audit events reference says it ' +
      'is an array when field_name is "tags" and an object for SLA events (and a cleared field is null)',
    apply(document) {
      const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>
      const events = (schemas.AuditObject?.properties as Record<string, Schema> | undefined)?.events
      const item = events?.items as Schema | undefined
      const properties = item?.properties as Record<string, Schema> | undefined
      if (properties?.value) {
        properties.value = {
          anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }, { type: 'null' }],
        }
      }
    },
  },
  {
    api: 'support',
    why: 'Create Token (OAuth Tokens API) describes its body, {"token": {client_id, scopes}}, in a table in the description',
    apply(document) {
      const post = document.paths['/api/v2/oauth/tokens']?.post
      if (post && !post.requestBody) {
        post.requestBody = {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['token'],
                properties: {
                  token: {
                    type: 'object',
                    required: ['client_id', 'scopes'],
                    properties: { client_id: { type: 'integer' }, scopes: { type: 'array', items: { type: 'string' } } },
                    additionalProperties: false,
                  },
                },
              },
            },
          },
        }
      }
    },
  },
  {
    api: 'support',
    why: 'Update Request lists its writable properties (comment, solved, additional_collaborators) in a table, not as a request body',
    apply(document) {
      const put = document.paths['/api/v2/requests/{request_id}']?.put
      if (put && !put.requestBody) {
        put.requestBody = {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['request'],
                properties: {
                  request: {
                    type: 'object',
                    properties: {
                      comment: { $ref: '#/components/schemas/TicketCommentObject' },
                      solved: { type: ['boolean', 'string'] },
                      additional_collaborators: { type: 'array' },
                    },
                    additionalProperties: false,
                  },
                },
              },
            },
          },
        }
      }
    },
  },
  {
    api: 'support',
    why:
      'Create Token for Grant Type lists its JSON parameters in a table in the description, not as a request body; ' +
      'client_credentials is the grant of "Using the client credentials grant" (OAuth migration guide)',
    apply(document) {
      const post = document.paths['/oauth/tokens']?.post
      if (post && !post.requestBody) {
        post.requestBody = {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['grant_type', 'client_id'],
                properties: {
                  grant_type: { type: 'string', enum: ['authorization_code', 'refresh_token', 'client_credentials'] },
                  code: { type: 'string' },
                  client_id: { type: 'string' },
                  client_secret: { type: 'string' },
                  redirect_uri: { type: 'string' },
                  scope: { type: 'string' },
                  code_verifier: { type: 'string' },
                  expires_in: { type: 'integer', minimum: 300, maximum: 172800 },
                  refresh_token_expires_in: { type: 'integer', minimum: 604800, maximum: 7776000 },
                  refresh_token: { type: 'string' },
                },
                additionalProperties: false,
              },
            },
          },
        }
      }
    },
  },
]

function loadDocument(api: ZendeskApi, directory: string): OpenApiDocument {
  const file = join(directory, DOCUMENTS[api].file)
  if (!existsSync(file)) throw missingReference(directory, DOCUMENTS[api].file)
  const document = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as OpenApiDocument
  for (const correction of CORRECTIONS) if (correction.api === api) correction.apply(document)
  return document
}

/** The document rewritten for one direction: properties that must not travel that way are forbidden. */
function forDirection(node: unknown, direction: Direction): unknown {
  if (Array.isArray(node)) return node.map((item) => forDirection(item, direction))
  if (node === null || typeof node !== 'object') return node
  const source = node as Schema
  const result: Schema = {}
  for (const [key, value] of Object.entries(source)) {
    // Ajv reads `nullable` only next to `type`; without one the schema already accepts null.
    if (key === 'nullable' && source.type === undefined) continue
    if (key === 'example' || key === 'examples' || key === 'xml' || key === 'externalDocs' || key === 'discriminator') {
      result[`x-${key}`] = value
      continue
    }
    if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const properties: Schema = {}
      for (const [name, property] of Object.entries(value as Schema)) {
        const schema = (property ?? {}) as Schema
        const writeOnly = schema.writeOnly === true || (typeof schema.description === 'string' && WRITE_ONLY_DESCRIPTION.test(schema.description))
        const forbidden = direction === 'response' ? writeOnly : schema.readOnly === true
        const required = Array.isArray(source.required) && source.required.includes(name)
        properties[name] = forbidden
          ? { not: {}, description: `${direction === 'response' ? 'write-only' : 'read-only'} property must not appear in a ${direction}` }
          : direction === 'response' && !required
            ? orNull(forDirection(property, direction))
            : forDirection(property, direction)
      }
      result[key] = properties
      continue
    }
    result[key] = forDirection(value, direction)
  }
  return result
}

/**
 * Zendesk answers null for optional properties it has no value for (group_id, type, due_at …) while
 * the document rarely says `nullable`; its own examples show such nulls. In answers, an optional
 * property may therefore be null; its type is checked whenever it has a value.
 */
const OR_NULL = 'x-or-null'
const NULL_BRANCH = { type: 'null', [OR_NULL]: true }

function orNull(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema
  const node = schema as Schema
  if (typeof node.$ref === 'string' || node.allOf || node.oneOf || node.anyOf) return { anyOf: [NULL_BRANCH, node], [OR_NULL]: true }
  if (typeof node.type !== 'string') return node
  return { ...node, nullable: true, ...(Array.isArray(node.enum) ? { enum: [...node.enum, null] } : {}) }
}

export interface ValidationOutcome {
  valid: boolean
  /** One line per problem: where in the body, what the document says. */
  problems: string[]
  /** Which document entry judged it, e.g. "support GET /api/v2/tickets/{ticket_id} 200". */
  operation: string
}

interface Operation {
  api: ZendeskApi
  template: string
  pattern: RegExp
  methods: Record<string, Schema>
}

/** A request and its answer as they crossed the wire; `url` is below the account's base URL. */
export interface Exchange {
  method: string
  url: string
  status: number
  requestBody: unknown
  responseBody: unknown
}

export interface ZendeskOpenApi {
  /**
   * Every problem of every successful exchange, one line each (so a failure names them all): an
   * undocumented path, an answer or a request body that does not fit. Error answers are left out;
   * the documents describe almost none of them.
   */
  problemsIn(exchanges: Exchange[]): string[]
  /** The response schema for a concrete path (query string and `.json` ignored), method and status. */
  validateResponse(method: string, path: string, status: number, body: unknown): ValidationOutcome
  validateRequest(method: string, path: string, body: unknown): ValidationOutcome
  /** The document's path template a concrete path matches, or null. */
  operationOf(method: string, path: string): string | null
}

function templatePattern(prefix: string, template: string): RegExp {
  const pieces = (prefix + template).split(/\{[^}]+\}/).map((piece) => piece.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${pieces.join('[^/]+')}$`)
}

/** The "null" branch of orNull and its anyOf say nothing beyond the real branch's own errors. */
function isNullWrapperNoise(error: ErrorObject): boolean {
  return (error.parentSchema as Schema | undefined)?.[OR_NULL] === true
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '(body)'
  if (error.keyword === 'not') return `${where}: ${String((error.parentSchema as Schema | undefined)?.description ?? 'must not be present')}`
  return `${where}: ${error.message ?? error.keyword}${error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : ''}`
}

const loaded = new Map<string, ZendeskOpenApi>()

/** Parsing the documents takes seconds, so each folder is read once per test file. */
export function loadZendeskOpenApi(options: { referenceDir?: string } = {}): ZendeskOpenApi {
  const directory = options.referenceDir ?? REFERENCE_DIR
  const known = loaded.get(directory)
  if (known) return known
  const api = buildZendeskOpenApi(directory)
  loaded.set(directory, api)
  return api
}

function buildZendeskOpenApi(directory: string): ZendeskOpenApi {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, verbose: true })
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv
  addFormats(ajv)
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'url']) ajv.addFormat(format, true)
  // The document spells date-time "datetime" in places; it means the same.
  ajv.addFormat('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)

  const operations: Operation[] = []
  for (const api of Object.keys(DOCUMENTS) as ZendeskApi[]) {
    const document = loadDocument(api, directory)
    for (const direction of ['request', 'response'] as const) {
      const rewritten = forDirection({ components: document.components ?? {} }, direction) as Schema
      ajv.addSchema({ $id: `zendesk-${api}-${direction}`, ...rewritten })
    }
    for (const [template, methods] of Object.entries(document.paths)) {
      operations.push({ api, template, pattern: templatePattern(DOCUMENTS[api].pathPrefix, template), methods })
    }
  }
  // Literal segments win over parameters (/tickets/show_many before /tickets/{ticket_id}).
  const parameterCount = (operation: Operation): number => operation.template.split('{').length - 1
  operations.sort((a, b) => parameterCount(a) - parameterCount(b))

  const compiled = new Map<string, ValidateFunction>()

  function find(method: string, path: string): { operation: Operation; spec: Schema } {
    const bare = path.split('?')[0]?.replace(/\.json$/, '') ?? ''
    const operation = operations.find((candidate) => candidate.pattern.test(bare) && candidate.methods[method.toLowerCase()] !== undefined)
    const spec = operation?.methods[method.toLowerCase()]
    if (!operation || !spec) throw new Error(`Zendesk's OpenAPI documents describe no ${method} ${bare}`)
    return { operation, spec }
  }

  /** Rewrites the document-local refs of an inline schema so they point into the registered document. */
  function anchored(schema: unknown, id: string): unknown {
    if (Array.isArray(schema)) return schema.map((item) => anchored(item, id))
    if (schema === null || typeof schema !== 'object') return schema
    return Object.fromEntries(
      Object.entries(schema as Schema).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${id}${value}` : anchored(value, id),
      ]),
    )
  }

  function validate(key: string, id: string, schema: unknown, body: unknown, operation: string): ValidationOutcome {
    let validator = compiled.get(key)
    if (!validator) {
      validator = ajv.compile(anchored(schema, id) as Schema)
      compiled.set(key, validator)
    }
    const valid = validator(body)
    return { valid, operation, problems: valid ? [] : (validator.errors ?? []).filter((error) => !isNullWrapperNoise(error)).map(describeError) }
  }

  const api: ZendeskOpenApi = {
    problemsIn(exchanges) {
      const problems: string[] = []
      for (const exchange of exchanges) {
        // The consent page is HTML for a browser, not part of the API.
        if (exchange.status >= 300 || exchange.url.startsWith('/oauth/authorizations')) continue
        if (api.operationOf(exchange.method, exchange.url) === null) {
          problems.push(`${exchange.method} ${exchange.url} is not in Zendesk's OpenAPI documents`)
          continue
        }
        const response = api.validateResponse(exchange.method, exchange.url, exchange.status, exchange.responseBody)
        for (const problem of response.problems) problems.push(`${response.operation} (${exchange.method} ${exchange.url}) answer ${problem}`)
        if (exchange.method !== 'GET' && exchange.method !== 'DELETE' && exchange.requestBody !== undefined) {
          const request = api.validateRequest(exchange.method, exchange.url, exchange.requestBody)
          for (const problem of request.problems) problems.push(`${request.operation} (${exchange.method} ${exchange.url}) ${problem}`)
        }
      }
      return problems
    },

    operationOf(method, path) {
      try {
        return find(method, path).operation.template
      } catch {
        return null
      }
    },

    validateResponse(method, path, status, body) {
      const { operation, spec } = find(method, path)
      const responses = (spec.responses ?? {}) as Record<string, Schema>
      const response = responses[String(status)]
      const label = `${operation.api} ${method.toUpperCase()} ${operation.template} ${status}`
      if (!response) {
        return { valid: false, operation: label, problems: [`the document lists no ${status} answer (it lists ${Object.keys(responses).join(', ')})`] }
      }
      const schema = (response.content as Record<string, Schema> | undefined)?.['application/json']?.schema
      if (schema === undefined) {
        return body === undefined || body === null || body === ''
          ? { valid: true, operation: label, problems: [] }
          : { valid: false, operation: label, problems: ['the document describes no JSON body for this answer'] }
      }
      return validate(`response ${label}`, `zendesk-${operation.api}-response`, forDirection(schema, 'response'), body, label)
    },

    validateRequest(method, path, body) {
      const { operation, spec } = find(method, path)
      const label = `${operation.api} ${method.toUpperCase()} ${operation.template} request`
      const schema = ((spec.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined)?.['application/json']?.schema
      if (schema === undefined) return { valid: false, operation: label, problems: ['the document describes no JSON request body for this operation'] }
      return validate(label, `zendesk-${operation.api}-request`, forDirection(schema, 'request'), body, label)
    },
  }
  return api
}
