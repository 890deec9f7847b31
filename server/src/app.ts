import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { adminSecurityOptions, type AdminSecurityOverrides } from './admin/admin-security-options'
import type { Config } from './config'
import type { Database } from './db/database'
import databasePlugin from './plugins/database'
import errorHandlerPlugin from './plugins/error-handler'
import jobsPlugin from './plugins/jobs'
import adminPlugins from './plugins/admin'
import autotaskBudgetPlugin from './plugins/autotask-budget'
import openapiPlugin from './plugins/openapi'
import { mountSandbox, sandboxLogLevel, sandboxWanted, type SandboxMountOptions } from './plugins/sandbox-mount'
import secretsPlugin from './plugins/secrets'
import syncEnginePlugin from './plugins/sync-engine'
import tenantsPlugin from './plugins/tenants'
import adminRoutes from './routes/admin'
import apiRoutes, { type ApiRoutesOptions } from './routes/api'
import healthRoutes from './routes/health'
import landingRoutes from './routes/landing'
import metricsRoutes from './routes/metrics'
import webhookRoutes from './routes/webhooks'

export interface AppOptions {
  config: Config
  /** An already open database (tests, the launcher); by default the app opens one from `config`. */
  database?: Database
  /** `database` was opened and migrated by the launcher, which hands it over (see plugins/database). */
  launched?: boolean
  /** Run scheduled cycles (default true); tests that drive cycles themselves turn it off. */
  schedule?: boolean
  /** Emulators to mount in the sandbox (tests keep a handle on them); created when absent. */
  sandbox?: SandboxMountOptions
  /** The admin console's limits, when not the production defaults (tests); never read from the environment. */
  admin?: AdminSecurityOverrides
  /** The sidebar API's limits and Sync now's wait, when not the defaults (tests); never read from the environment. */
  api?: ApiRoutesOptions
}

/**
 * The whole of PSA Link as one Fastify plugin: external plugins, then app plugins (each service a
 * named plugin with its dependencies), then routes, which register no services of their own.
 * Not encapsulated, so the launcher and tests see its decorators (`db`, `jobs`, `tenants` …).
 */
const app: FastifyPluginAsync<AppOptions> = async (fastify, { config, database, launched, schedule, sandbox, admin, api }) => {
  await fastify.register(errorHandlerPlugin)
  await fastify.register(databasePlugin, { config, ...(database ? { database, launched: launched ?? false } : {}) })
  await fastify.register(jobsPlugin, { shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS })
  await fastify.register(secretsPlugin, { config })
  await fastify.register(tenantsPlugin)
  await fastify.register(autotaskBudgetPlugin, { config })
  await fastify.register(syncEnginePlugin, { config, schedule: schedule ?? true })
  // PSA_LINK_ROLE=workers: the sync workers and schedule, with /health and /metrics for the
  // orchestrator; the sidebar, webhooks, admin console and sandbox belong to an api process.
  const servesApi = config.PSA_LINK_ROLE !== 'workers'
  if (!servesApi) {
    await fastify.register(healthRoutes)
    await fastify.register(metricsRoutes)
    return
  }
  if (sandboxWanted(config, await fastify.tenants.hasRealAccount())) await mountSandbox(fastify, { logLevel: sandboxLogLevel(config), ...sandbox })
  else {
    // The demo account must not outlive the sandbox: its admin, its known shared secret and its
    // links would otherwise keep working against emulators that are no longer there.
    const removed = await fastify.tenants.removeSandboxAccounts()
    if (removed > 0) fastify.log.warn('the sandbox is not mounted: its demo account, admins and links were removed')
  }
  await fastify.register(adminPlugins, { config, extraAutotaskZonePrefixes: adminSecurityOptions(admin).extraAutotaskZonePrefixes })
  await fastify.register(openapiPlugin)
  await fastify.register(healthRoutes)
  await fastify.register(landingRoutes)
  await fastify.register(metricsRoutes)
  await fastify.register(apiRoutes, { ...api, prefix: '/api/v1' })
  await fastify.register(webhookRoutes, { prefix: '/webhooks' })
  await fastify.register(adminRoutes, { prefix: '/admin', config, ...(admin ? { security: admin } : {}) })
}

export default fp(app, { name: 'psa-link' })
