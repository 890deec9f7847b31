import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import { loadConfig, type Config } from '../../config'
import { INSTALL_ROOT } from '../../install-root'
import adminServices from '../../plugins/admin-services'
import { registerAdminAuth } from './admin-auth'
import auditRoutes from './audit-routes'
import backfillRoutes from './backfill-routes'
import connectionRoutes from './connection-routes'
import monitorRoutes from './monitor-routes'
import sessionRoutes from './session-routes'
import setupRoutes from './setup-routes'
import zendeskRoutes from './zendesk-routes'

export interface AdminRoutesOptions {
  /** The app's configuration; read from the environment when the app does not pass it. */
  config?: Config
}

const UI_DIR = fileURLToPath(new URL('dist/admin-ui/', INSTALL_ROOT))

function configOf(options: AdminRoutesOptions): Config {
  if (options.config) return options.config
  try {
    return loadConfig()
  } catch {
    return loadConfig({})
  }
}

/**
 * The admin console at /admin: the built React app, its JSON API under /admin/api, and the Zendesk
 * OAuth callback. Every API request needs a session cookie, and every state-changing one the
 * session's CSRF token in `x-csrf-token`.
 */
const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (fastify, options) => {
  const config = configOf(options)
  if (!fastify.hasDecorator('adminServices')) {
    await fastify.register(adminServices, {
      budgetShare: config.AUTOTASK_BUDGET_SHARE,
      intervalSeconds: config.SYNC_INTERVAL_SECONDS,
      oauthClient:
        config.ZENDESK_OAUTH_CLIENT_ID && config.ZENDESK_OAUTH_CLIENT_SECRET
          ? { clientId: config.ZENDESK_OAUTH_CLIENT_ID, clientSecret: config.ZENDESK_OAUTH_CLIENT_SECRET }
          : null,
    })
  }
  await fastify.register(cookie)

  fastify.setErrorHandler<FastifyError | AdminError>((error, request, reply) => {
    if (error instanceof AdminError) {
      return reply.status(error.statusCode).send({ statusCode: error.statusCode, code: error.code, message: error.message, fieldErrors: error.fieldErrors })
    }
    const statusCode = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'admin request failed')
      return reply.status(statusCode).send({ statusCode, code: 'internal', message: 'Something went wrong on our side. It has been logged; please try again.' })
    }
    return reply.status(statusCode).send({ statusCode, code: error.code ?? 'bad_request', message: error.message, fieldErrors: {} })
  })

  registerAdminAuth(fastify, { publicUrl: config.PUBLIC_URL ?? null })
  await fastify.register(sessionRoutes)
  await fastify.register(setupRoutes)
  await fastify.register(zendeskRoutes, { publicUrl: config.PUBLIC_URL ?? null })
  await fastify.register(connectionRoutes)
  await fastify.register(monitorRoutes)
  await fastify.register(backfillRoutes)
  await fastify.register(auditRoutes)

  if (existsSync(`${UI_DIR}index.html`)) {
    await fastify.register(fastifyStatic, { root: UI_DIR, prefix: '/', index: ['index.html'], wildcard: false })
  } else {
    fastify.get('/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><title>PSA Link admin</title><p>The admin console is not built: run <code>npm run build</code>.</p>'),
    )
  }
}

export default adminRoutes
