import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AutotaskEmulator } from './autotask-emulator'
import { renderAtwsWsdl } from './atws-wsdl'
import controlRoutes from './control-routes'
import restRoutes from './rest-routes'
import { handleSoapRequest } from './soap-face'
import { loseResponse } from '../lost-responses'
import { zoneOfPath } from './emulated-zones'
import ticketPage from './ticket-page'

export { createAutotaskEmulator, sandboxCredentials, alternateSandboxCredentials } from './autotask-emulator'
export type { AutotaskEmulator, EmulatorFaults, EmulatorCounters } from './autotask-emulator'

export interface AutotaskSandboxOptions {
  emulator: AutotaskEmulator
}

const soapPath = '/ATServices/1.6/atws.asmx'
const wsdlPath = '/ATServices/1.6/atws.wsdl'

/** The endpoint's absolute URL as this caller reached it (prefix included), for soap:address and zone lookups. */
function endpointUrl(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? ''
  const base = path.replace(/\/ATServices\/1\.6\/atws\.(asmx|wsdl)$/i, '')
  return `${request.protocol}://${request.host}${base}${soapPath}`
}

/** A create or update Autotask saved (ATWS saves a call all-or-nothing: ReturnCode 1 means it did). */
function isAppliedWrite(soapBody: string): boolean {
  return /<(create|update)Response\b/.test(soapBody) && /<ReturnCode>1<\/ReturnCode>/.test(soapBody)
}

/**
 * The Autotask emulator over HTTP: SOAP 1.1 (ATWS v1.6), REST v1.0 (`/ATServicesRest/V1.0/`) plus `/_control`. Register it under
 * `/sandbox/autotask`. Encapsulated: its XML content-type parser stays inside.
 */
const autotaskSandbox: FastifyPluginAsync<AutotaskSandboxOptions> = async (fastify, { emulator }) => {
  fastify.addContentTypeParser(
    ['text/xml', 'application/soap+xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 },
    (_request, body, done) => {
      done(null, body)
    },
  )

  // The home zone at the prefix itself, every other zone under /zones/<n> (see emulated-zones.ts).
  await fastify.register(zoneFaces, { emulator })
  await fastify.register(zoneFaces, { emulator, prefix: '/zones/:zone' })
  await fastify.register(controlRoutes, { emulator, prefix: '/_control' })
}

/** One zone's SOAP endpoint, WSDL, REST API and ticket page. */
const zoneFaces: FastifyPluginAsync<AutotaskSandboxOptions> = async (fastify, { emulator }) => {
  const sendWsdl = async (request: FastifyRequest, reply: FastifyReply) => reply.type('text/xml; charset=utf-8').send(renderAtwsWsdl(endpointUrl(request)))

  fastify.get(wsdlPath, sendWsdl)
  fastify.get(soapPath, async (request, reply) => {
    const query = request.url.split('?')[1] ?? ''
    if (/^wsdl$/i.test(query)) return sendWsdl(request, reply)
    return reply
      .type('text/html')
      .send('<html><body><h1>ATWS</h1><p>Autotask Web Services 1.6 (PSA Link sandbox). Append ?wsdl for the service description.</p></body></html>')
  })

  fastify.post(soapPath, async (request, reply) => {
    const result = await handleSoapRequest(emulator, {
      body: typeof request.body === 'string' ? request.body : '',
      headers: request.headers,
      endpointUrl: endpointUrl(request),
      zone: zoneOfPath(request.url.split('?')[0] ?? ''),
    })
    const lost = isAppliedWrite(result.body) ? emulator.lostResponses.draw() : null
    if (lost) return loseResponse(reply, lost, emulator.lostResponses.settings().holdMs)
    return reply.code(result.status).headers(result.headers).send(result.body)
  })

  await fastify.register(restRoutes, { emulator })
  // The zone's web UI stand-in: where PSA Link's ticket links lead in the sandbox.
  await fastify.register(ticketPage, { emulator })
}

export default autotaskSandbox
