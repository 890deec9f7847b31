import type { FastifyPluginAsync } from 'fastify'

/** Routes under /admin (being built). */
const adminRoutes: FastifyPluginAsync = async () => undefined

export default adminRoutes
