import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import apiRoutes from './api-routes'
import controlRoutes from './control-routes'
import type { ZendeskEmulator } from './emulator'
import { EmulatorError } from './errors'
import oauthRoutes from './oauth-routes'
import { requestClock, startRequestClock } from '../service-clock'

/**
 * The Zendesk emulator's HTTP face, registered under `/sandbox/zendesk`: the Support API at
 * `/api/v2`, OAuth at `/oauth`, the emulator's controls at `/_control`. Encapsulated on purpose:
 * its error handler and form parser answer like Zendesk and must not leak into the app.
 */
export interface ZendeskSandboxOptions {
  emulator: ZendeskEmulator
}

export { CLUSTER_ID_FIELD_TITLE, createZendeskEmulator, SANDBOX_CREDENTIALS } from './emulator'
export type { ZendeskEmulator, ZendeskEmulatorOptions } from './emulator'

const zendeskSandbox: FastifyPluginAsync<ZendeskSandboxOptions> = async (fastify, { emulator }) => {
  if (!emulator) throw new Error('the Zendesk sandbox needs { emulator } (createZendeskEmulator())')

  const patternOf = (request: FastifyRequest) => (request.routeOptions.url ?? request.url).slice(fastify.prefix.length).replace(/\.json$/, '')

  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })

  fastify.addHook('onRequest', async (request) => {
    startRequestClock(request)
    const key = `${request.method} ${patternOf(request)}`
    const counters = emulator.state().counters
    counters.set(key, (counters.get(key) ?? 0) + 1)
  })

  // Each answer's own service time, from receipt to its serialised body: the injected latency
  // (api-routes.ts) and the wait for a request body to arrive are left out (service-clock.ts).
  fastify.addHook('preParsing', async (request) => {
    requestClock(request)?.pause()
  })
  fastify.addHook('preValidation', async (request) => {
    requestClock(request)?.resume()
  })
  fastify.addHook('onSend', async (request, reply) => {
    const clock = requestClock(request)
    if (!clock || reply.statusCode >= 400) return
    const key = `${request.method} ${patternOf(request)}`
    const service = emulator.state().service
    const totals = service.get(key) ?? { requests: 0, ms: 0, cpuMs: 0 }
    service.set(key, { requests: totals.requests + 1, ms: totals.ms + clock.serviceMs(), cpuMs: totals.cpuMs + clock.cpuMs() })
  })

  // Answers refused by a rate limit are counted apart too, so a reader can leave them out.
  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 429) return
    const counters = emulator.state().counters
    const key = `429 ${request.method} ${patternOf(request)}`
    counters.set(key, (counters.get(key) ?? 0) + 1)
  })

  fastify.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof EmulatorError) {
      reply.code(error.status).headers(error.headers)
      return typeof error.body === 'string' ? reply.type('text/plain; charset=utf-8').send(error.body) : reply.send(error.body)
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status < 500) {
      return reply.code(status).send({ error: 'InvalidEndpoint', description: (error as Error).message })
    }
    reply.log.error({ err: error }, 'zendesk emulator failure')
    return reply.code(500).send({ error: 'InternalError', description: 'Something went wrong' })
  })

  fastify.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'InvalidEndpoint', description: 'Not found' }))

  await fastify.register(apiRoutes, { prefix: '/api/v2', emulator })
  await fastify.register(oauthRoutes, { prefix: '/oauth', emulator })
  await fastify.register(controlRoutes, { prefix: '/_control', emulator })
}

export default zendeskSandbox
