import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config'
import type { Database } from './db/database'
import databasePlugin from './plugins/database'
import errorHandlerPlugin from './plugins/error-handler'
import jobsPlugin from './plugins/jobs'
import healthRoutes from './routes/health'

export interface AppOptions {
  config: Config
  /** An already open database (tests); by default the app opens one from `config`. */
  database?: Database
}

/**
 * The whole of PSA Link as one Fastify plugin: external plugins, then app plugins, then routes.
 * Not encapsulated, so the launcher and tests see its decorators (`db`, `jobs`).
 */
const app: FastifyPluginAsync<AppOptions> = async (fastify, { config, database }) => {
  await fastify.register(errorHandlerPlugin)
  await fastify.register(databasePlugin, { config, ...(database ? { database } : {}) })
  await fastify.register(jobsPlugin, { shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS })
  await fastify.register(healthRoutes)
}

export default fp(app, { name: 'psa-link' })
