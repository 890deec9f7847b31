import type { FastifySchema, FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import type { TLocalizedValidationError } from 'typebox/error'
import { Settings } from 'typebox/system'
import { enterMessage } from '@psa-link/shared/admin-api'
import { invalidInput } from '../../admin/admin-error'

interface FieldSchema {
  title?: string
  errorMessage?: string
  properties?: Record<string, FieldSchema>
  items?: FieldSchema
}

/**
 * Checks the admin API's params, querystring and body against their TypeBox schemas (shared with
 * the console, `@psa-link/shared/admin-api`), every field at once, and refuses bad input with one
 * 400 naming each field, as the console shows it next to the field. Text from a URL is converted as
 * Fastify's own validator would (`?id=12` is the number 12).
 */
// TypeBox stops at 8 errors; a form of eight fields, each with a couple of errors, needs more to name
// every bad field at once. Still bounded: a hostile body cannot make it list without end.
Settings.Set({ maxErrors: 64 })

export const adminSchemaValidator: FastifySchemaCompiler<FastifySchema> = ({ schema }) => {
  const validator = Compile(schema as TSchema)
  return (data: unknown) => {
    // A POST without a body is an empty form, as the console's own `post(path)` sends it.
    const value = validator.Convert(data ?? {})
    if (validator.Check(value)) return { value }
    return { error: invalidInput(fieldErrorsOf(schema as FieldSchema, validator.Errors(value))) }
  }
}

/** One message per field (the first error of each), keyed by its path: `name`, `dueHours.urgent`. */
function fieldErrorsOf(schema: FieldSchema, errors: TLocalizedValidationError[]): Record<string, string> {
  const fieldErrors: Record<string, string> = {}
  for (const error of errors) {
    const path = error.instancePath.split('/').filter(Boolean)
    if (error.keyword === 'required') {
      for (const missing of error.params.requiredProperties) fieldErrors[[...path, missing].join('.')] ??= requiredMessage(fieldAt(schema, [...path, missing]))
      continue
    }
    // A union's branches each fail; the union's own error says it once.
    if (error.schemaPath.includes('/anyOf/')) continue
    fieldErrors[path.join('.') || 'body'] ??= messageOf(error, fieldAt(schema, path))
  }
  return fieldErrors
}

function fieldAt(schema: FieldSchema, path: string[]): FieldSchema {
  let field: FieldSchema | undefined = schema
  for (const segment of path) field = /^\d+$/.test(segment) ? field?.items : field?.properties?.[segment]
  return field ?? {}
}

const labelOf = (field: FieldSchema) => field.title ?? 'This value'

const requiredMessage = (field: FieldSchema) => enterMessage(labelOf(field))

function messageOf(error: TLocalizedValidationError, field: FieldSchema): string {
  const label = labelOf(field)
  switch (error.keyword) {
    case 'minLength':
      return requiredMessage(field)
    case 'maxLength':
      return `${label} is too long (at most ${error.params.limit} characters).`
    case 'pattern':
    case 'minimum':
    case 'maximum':
    case 'anyOf':
    case 'enum':
    case 'const':
      return field.errorMessage ?? `${label} is not valid.`
    case 'minItems':
    case 'maxItems':
      return field.errorMessage ?? `${label}: ${error.message}.`
    case 'type':
      return field.errorMessage ?? `${label} must be ${typeWords(error.params.type)}.`
    default:
      return `${label}: ${error.message}.`
  }
}

function typeWords(type: string | string[]): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
  }
  return (Array.isArray(type) ? type : [type]).map((name) => words[name] ?? name).join(' or ')
}
