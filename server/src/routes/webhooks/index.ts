import type { FastifyPluginAsync } from 'fastify'

/** Routes under /webhooks (being built). */
const webhooksRoutes: FastifyPluginAsync = async () => undefined

export default webhooksRoutes
