import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import { AdminError } from '../../admin/admin-error'
import { adminSecurityOptions, type AdminSecurityOverrides } from '../../admin/admin-security-options'
import { createWorkLimiter } from '../../admin/work-limiter'
import { onboardingSubdomains, type Config } from '../../config'
import { INSTALL_ROOT } from '../../install-root'
import { configuredOAuthClient } from '../../plugins/admin/zendesk-clients'
import { registerAdminAuth } from './admin-auth'
import { adminSchemaValidator } from './admin-schema-validator'
import alertRoutes from './alert-routes'
import attentionRoutes from './attention-routes'
import auditRoutes from './audit-routes'
import backfillRoutes from './backfill-routes'
import connectionRoutes from './connection-routes'
import homeRoutes from './home-routes'
import monitorRoutes from './monitor-routes'
import needsActionRoutes from './needs-action-routes'
import sessionRoutes from './session-routes'
import setupRoutes from './setup-routes'
import accountRoutes from './account-routes'
import zendeskRoutes from './zendesk-routes'
import zendeskSignInRoutes from './zendesk-sign-in-routes'
import zendeskVisibilityRoutes from './zendesk-visibility-routes'

export interface AdminRoutesOptions {
  /** The app's configuration (loaded and checked once, by the launcher). */
  config: Config
  /** Limits other than the production defaults (tests). */
  security?: AdminSecurityOverrides
}

const UI_DIR = fileURLToPath(new URL('dist/admin-ui/', INSTALL_ROOT))

/**
 * The admin console at /admin: the built React app, its JSON API under /admin/api, and the Zendesk
 * OAuth callback. Every API request needs a session cookie, and every state-changing one the
 * session's CSRF token in `x-csrf-token`.
 */
const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (fastify, options) => {
  // Never read from the environment here, never defaulted: a caller without it fails at start-up.
  if (!options.config) throw new Error('the admin routes need the app configuration (options.config)')
  const config = options.config
  const security = adminSecurityOptions(options.security)
  const publicUrl = config.PUBLIC_URL ?? null
  const cookies = { publicUrl, lifetimeSeconds: security.sessionLifetimeSeconds }
  const hashing = createWorkLimiter(security.passwordHashing)
  const oauthClient = configuredOAuthClient(config)
  await fastify.register(cookie)
  // Only what a route asks for (sign-in and setup use `createRateLimit`); nothing global.
  await fastify.register(rateLimit, { global: false })
  // Registered here, so the headers cover /admin only: the sidebar app's API and the sandbox's agent
  // preview (which frames the app) keep their own.
  await fastify.register(helmet, adminHeaders(publicUrl))

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

  // Every route's input is checked against its schema, each bad field named (a 400 the console shows).
  fastify.setValidatorCompiler(adminSchemaValidator)
  registerAdminAuth(fastify, cookies)
  await fastify.register(sessionRoutes, { cookies, hashing, signInRate: security.signInRate })
  await fastify.register(setupRoutes, { cookies, hashing, signInRate: security.signInRate })
  await fastify.register(zendeskRoutes, { cookies })
  await fastify.register(zendeskSignInRoutes, {
    cookies,
    signInRate: security.signInRate,
    oauthClient,
    onboardingSubdomains: onboardingSubdomains(config.ONBOARDING_SUBDOMAINS),
  })
  await fastify.register(accountRoutes, { cookies })
  await fastify.register(zendeskVisibilityRoutes)
  await fastify.register(connectionRoutes)
  await fastify.register(monitorRoutes)
  await fastify.register(backfillRoutes)
  await fastify.register(auditRoutes, { hashing })
  await fastify.register(attentionRoutes)
  await fastify.register(needsActionRoutes)
  await fastify.register(homeRoutes)
  await fastify.register(alertRoutes, { allowLoopbackWebhooks: config.NODE_ENV === 'test' })

  if (existsSync(`${UI_DIR}index.html`)) {
    await fastify.register(fastifyStatic, { root: UI_DIR, prefix: '/', index: ['index.html'], wildcard: false })
  } else {
    fastify.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><title>PSA Link admin</title><p>The admin console is not built: run <code>npm run build</code>.</p>'),
    )
  }
}

/**
 * The console's headers: scripts only from its own origin (the Vite build has no inline script;
 * Garden's styled-components inject <style> elements, hence 'unsafe-inline' for styles only), never
 * framed, and HSTS when it is served over https.
 */
function adminHeaders(publicUrl: string | null) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' as const },
    hsts: publicUrl?.startsWith('https:') ? { maxAge: 365 * 86_400, includeSubDomains: false } : false,
  }
}

export default adminRoutes
