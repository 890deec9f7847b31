import type { FastifyPluginAsync } from 'fastify'

/** Prometheus metrics: cycles, tickets and notes synced, errors, remote requests by system. */
const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', async (_request, reply) => {
    const registry = app.syncMetrics.registry
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}

export default metricsRoutes
