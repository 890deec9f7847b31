import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config'
import type { Database } from './db/database'
import databasePlugin from './plugins/database'
import errorHandlerPlugin from './plugins/error-handler'
import jobsPlugin from './plugins/jobs'
import openapiPlugin from './plugins/openapi'
import syncEnginePlugin from './plugins/sync-engine'
import adminRoutes from './routes/admin'
import apiRoutes from './routes/api'
import healthRoutes from './routes/health'
import metricsRoutes from './routes/metrics'
import webhookRoutes from './routes/webhooks'
import sandboxPlugin, { type SandboxPluginOptions } from './sandbox'
import { SANDBOX_SUBDOMAIN } from './sandbox/sandbox-tenant'

export interface AppOptions {
  config: Config
  /** An already open database (tests, the launcher); by default the app opens one from `config`. */
  database?: Database
  /** `database` was opened and migrated by the launcher, which hands it over (see plugins/database). */
  launched?: boolean
  /** Run scheduled cycles (default true); tests that drive cycles themselves turn it off. */
  schedule?: boolean
  /** Emulators to mount in the sandbox (tests keep a handle on them); created when absent. */
  sandbox?: Pick<SandboxPluginOptions, 'zendesk' | 'autotask'>
}

/**
 * The whole of PSA Link as one Fastify plugin: external plugins, then app plugins, then routes.
 * Not encapsulated, so the launcher and tests see its decorators (`db`, `jobs`).
 */
const app: FastifyPluginAsync<AppOptions> = async (fastify, { config, database, launched, schedule, sandbox }) => {
  await fastify.register(errorHandlerPlugin)
  await fastify.register(databasePlugin, { config, ...(database ? { database, launched: launched ?? false } : {}) })
  await fastify.register(jobsPlugin, { shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS })
  await fastify.register(syncEnginePlugin, { config, schedule: schedule ?? true })
  if (await sandboxWanted(fastify, config)) await fastify.register(sandboxPlugin, sandbox ?? {})
  await fastify.register(openapiPlugin)
  await fastify.register(healthRoutes)
  await fastify.register(metricsRoutes)
  await fastify.register(apiRoutes, { prefix: '/api/v1' })
  await fastify.register(webhookRoutes, { prefix: '/webhooks' })
  await fastify.register(adminRoutes, { prefix: '/admin', config })
}

/** `auto` mounts the emulators while no real Zendesk account is configured. */
async function sandboxWanted(fastify: FastifyInstance, config: Config): Promise<boolean> {
  if (config.SANDBOX !== 'auto') return config.SANDBOX === 'on'
  const { rows } = await fastify.db.pool.query('SELECT 1 FROM zendesk_accounts WHERE subdomain <> $1 LIMIT 1', [SANDBOX_SUBDOMAIN])
  return rows.length === 0
}

export default fp(app, { name: 'psa-link' })
