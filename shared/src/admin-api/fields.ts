import Type, { type TSchema } from 'typebox'

/**
 * Building blocks of the admin API's schemas. A field's `title` is the label the console shows and
 * its `errorMessage` the sentence a value that breaks its pattern or range gets: the server turns a
 * failed check into a message per field with them (server/src/routes/admin/admin-schema-validator.ts).
 */

interface TextOptions {
  /** Longest value accepted, in characters. */
  max: number
  /** Refused unless set to false: an empty (or all-space) value. */
  required?: boolean
  pattern?: string
  /** What a value that is missing or does not match `pattern` is told; "Enter <title>." unless set. */
  errorMessage?: string
}

/** A non-blank value (leading and trailing spaces are trimmed by the route). */
const NOT_BLANK = '\\S'

// Names written as they are wherever they stand in a sentence.
const PROPER_NAMES = new Set(['Zendesk', 'Autotask', 'PSA', 'Link'])

/**
 * A label as it reads inside a sentence: its first word lowercased ("Start date" → "start date"),
 * unless that word is an acronym or a name ("API user", "Zendesk account", "OAuth client", "ID").
 * The rest of the label is kept as written ("The Cluster ID" → "the Cluster ID").
 */
export function labelInSentence(title: string): string {
  const [first = '', ...rest] = title.split(' ')
  const keep = PROPER_NAMES.has(first) || /[A-Z]/.test(first.slice(1))
  return [keep ? first : first.charAt(0).toLowerCase() + first.slice(1), ...rest].join(' ')
}

/** What a required field says when it is left empty: "Enter start date.", "Enter API user.". */
export const enterMessage = (title: string) => `Enter ${labelInSentence(title)}.`

/** Text typed by an admin. */
export const Text = (title: string, options: TextOptions) =>
  Type.String({
    title,
    maxLength: options.max,
    // Required: empty is "Enter …" (minLength) when a pattern of its own says what else is wrong, else blank is refused.
    ...(options.required === false ? {} : options.pattern ? { minLength: 1 } : { pattern: NOT_BLANK }),
    ...(options.pattern ? { pattern: options.pattern } : {}),
    ...(options.errorMessage || (!options.pattern && options.required !== false) ? { errorMessage: options.errorMessage ?? enterMessage(title) } : {}),
  })

/** A password, secret or token: kept as typed (spaces may be part of it), bounded all the same. */
export const Secret = (title: string, max = 1000) => Type.String({ title, maxLength: max, minLength: 1 })

/** A row id from the console (a path segment, a query parameter or a JSON number). */
export const Id = (title: string) =>
  Type.Integer({ title, minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: `${title} is a whole number of at least 1.` })

export const Flag = (title: string) => Type.Boolean({ title })

/** A moment the server answers: a Date there, ISO 8601 text on the wire. */
export const Timestamp = Type.String({ format: 'date-time' })

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A row of the database as the console reads it: the fields named are promised, more may follow. */
export const Row = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: true })

/** `/:id` of every route that acts on one row. */
export const IdParams = Type.Object({ id: Id('The id') })

/** The answer of actions that only say they were done. */
export const Done = Type.Object({ ok: Type.Literal(true) })

/** Every 4xx/5xx answer of the admin API; the console shows `fieldErrors` next to each field. */
export const AdminApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
  fieldErrors: Type.Optional(Type.Record(Type.String(), Type.String())),
})
