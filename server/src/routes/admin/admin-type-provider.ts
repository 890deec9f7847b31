import type { FastifyPluginAsync, FastifyPluginOptions, FastifyTypeProvider, RawServerDefault } from 'fastify'
import type { Static, TSchema } from 'typebox'

/**
 * Types a route's params, querystring and body from its TypeBox schema. Its answer is not typed
 * from the schema: the repositories hand back Dates that the serializer writes as the ISO text
 * the schema (and the console) declares; the serializer checks the answer's shape at run time.
 */
export interface AdminTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown
  serializer: unknown
}

/** A plugin of admin routes, typed from their schemas. */
export type AdminRoutesPlugin<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<Options, RawServerDefault, AdminTypeProvider>
