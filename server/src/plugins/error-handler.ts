import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'

/**
 * One error handler for the whole app: 4xx errors say what was wrong with the request; 5xx
 * details are logged and never sent, since they can carry internals (SQL, hosts, remote replies).
 */
export default fp(
  async (app) => {
    app.setErrorHandler<FastifyError>((error, request, reply) => {
      const statusCode = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed')
        return reply.status(statusCode).send({
          statusCode,
          error: 'Internal Server Error',
          message: 'Something went wrong on our side. It has been logged; please try again.',
        })
      }
      return reply.status(statusCode).send({
        statusCode,
        code: error.code,
        error: error.name === 'Error' ? 'Bad Request' : error.name,
        message: error.message,
      })
    })
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `No route for ${request.method} ${request.url}` }),
    )
  },
  { name: 'error-handler' },
)
