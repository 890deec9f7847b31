import type { FastifyPluginAsync } from 'fastify'

/** Routes under /api (being built). */
const apiRoutes: FastifyPluginAsync = async () => undefined

export default apiRoutes
