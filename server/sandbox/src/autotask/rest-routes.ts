import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AutotaskEmulator } from './autotask-emulator'
import type { RestReply } from './rest-face'
import { handleRestRequest, zoneInformation } from './rest-face'
import { loseResponse } from '../lost-responses'
import { zoneOfPath } from './emulated-zones'

export interface RestRoutesOptions {
  emulator: AutotaskEmulator
}

/** Autotask's REST paths are case-insensitive (IIS); both usual spellings of the root are served. */
const roots = ['/ATServicesRest/*', '/atservicesrest/*']

interface ParsedUrl {
  /** `http://host/…/ATServicesRest/` as the caller reached it. */
  restRootUrl: string
  /** What follows `ATServicesRest/`, e.g. `V1.0/Tickets/query`. */
  rest: string
}

function parseUrl(request: FastifyRequest): ParsedUrl {
  const path = request.url.split('?')[0] ?? ''
  const at = path.toLowerCase().indexOf('/atservicesrest/')
  const prefix = at >= 0 ? path.slice(0, at) : ''
  return {
    restRootUrl: `${request.protocol}://${request.host}${prefix}/ATServicesRest/`,
    rest: at >= 0 ? decodeURI(path.slice(at + '/atservicesrest/'.length)) : '',
  }
}

/** A create or update that Autotask saved: every write verb but a query, answered 2xx. */
function isAppliedWrite(method: string, path: string, result: RestReply): boolean {
  return method !== 'GET' && !/\/query(\/|$)/i.test(path) && result.status >= 200 && result.status < 300
}

function send(reply: FastifyReply, result: RestReply) {
  return reply
    .code(result.status)
    .headers(result.headers)
    .send(typeof result.body === 'string' ? result.body : JSON.stringify(result.body))
}

/** The emulator's REST v1.0 face, next to its SOAP face under the same prefix. */
const restRoutes: FastifyPluginAsync<RestRoutesOptions> = async (fastify, { emulator }) => {
  for (const url of roots) {
    fastify.route<{ Querystring: Record<string, string | undefined> }>({
      method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      url,
      handler: async (request, reply) => {
        const { restRootUrl, rest } = parseUrl(request)
        const versioned = /^v1\.0\/(.*)$/i.exec(rest)
        if (!versioned)
          return send(reply, {
            status: 404,
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: { Message: `No HTTP resource was found that matches the request URI '${restRootUrl}${rest}'.` },
          })
        const path = versioned[1] ?? ''
        if (path.toLowerCase() === 'zoneinformation') {
          if (request.method !== 'GET')
            return send(reply, {
              status: 405,
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: { Message: `The requested resource does not support http method '${request.method}'.` },
            })
          return send(reply, zoneInformation(emulator, request.query.user, restRootUrl))
        }
        const result = await handleRestRequest(emulator, {
          method: request.method,
          path,
          query: request.query,
          headers: request.headers,
          body: request.body,
          baseUrl: `${restRootUrl}V1.0/`,
          zone: zoneOfPath(request.url.split('?')[0] ?? ''),
        })
        const lost = isAppliedWrite(request.method, path, result) ? emulator.lostResponses.draw() : null
        if (lost) return loseResponse(reply, lost, emulator.lostResponses.settings().holdMs)
        return send(reply, result)
      },
    })
  }
}

export default restRoutes
