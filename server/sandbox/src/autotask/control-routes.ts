import type { FastifyPluginAsync } from 'fastify'
import type { AutotaskEmulator, EmulatorFaults, TechnicianNoteInput } from './autotask-emulator'
import type { EmulatedRecord, FieldValue } from './record-query'
import type { LostResponseSettings } from '../lost-responses'

/**
 * JSON control endpoints, so a separate process (scenario tests, the benchmark) can inject faults,
 * read counters and act as a technician. Dates in and out are ISO 8601 UTC.
 */
export interface ControlRoutesOptions {
  emulator: AutotaskEmulator
}

interface FaultsBody {
  latencyMs?: number
  latencyPerEntityMs?: number
  errorRate?: number
  outage?: boolean | string
  hourlyLimit?: number
  threadLimit?: number
  thresholdErrorStyle?: EmulatorFaults['thresholdErrorStyle']
  reset?: boolean
}

interface DatabaseQuery {
  database?: string
}

function recordJson(record: EmulatedRecord) {
  const fields = Object.fromEntries(Object.entries(record.fields).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]))
  return { id: record.id, ...fields, userDefinedFields: record.udfs }
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/

function fieldsFromJson(input: Record<string, unknown>): Record<string, FieldValue> {
  const result: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && isoDate.test(value)) result[key] = new Date(value)
    else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') result[key] = value
  }
  return result
}

const controlRoutes: FastifyPluginAsync<ControlRoutesOptions> = async (fastify, { emulator }) => {
  fastify.setErrorHandler((error, _request, reply) => {
    const message = error instanceof Error ? error.message : String(error)
    void reply.code(/does not exist/.test(message) ? 404 : 400).send({ error: message })
  })

  fastify.get('/counters', async () => ({ ...emulator.counters(), requestsLastHour: emulator.requestsLastHour() }))

  fastify.post('/reset-counters', async () => {
    emulator.resetCounters()
    return { ok: true }
  })

  fastify.get('/faults', async () => emulator.faults)

  fastify.post<{ Body: FaultsBody }>('/faults', async (request) => {
    const body = request.body ?? {}
    if (body.reset) emulator.resetFaults()
    const { reset: _reset, outage, ...rest } = body
    emulator.setFaults({ ...rest, ...(outage === undefined ? {} : { outage: typeof outage === 'string' ? new Date(outage) : outage }) })
    return emulator.faults
  })

  // Creates and updates that take effect and then lose their answer: { rate, next, mode, holdMs, seed }.
  fastify.get('/lost-responses', async () => emulator.lostResponses.settings())
  fastify.post<{ Body: Partial<LostResponseSettings> & { reset?: boolean } }>('/lost-responses', async (request) => {
    const { reset, ...changes } = request.body ?? {}
    if (reset) emulator.lostResponses.clear()
    emulator.lostResponses.set(changes)
    const settings = emulator.lostResponses.settings()
    request.log.info({ lostResponses: settings }, `autotask emulator: lost responses, seed ${settings.seed}`)
    return settings
  })

  fastify.post<{ Body: { offsetMs: number } }>('/clock', async (request) => {
    emulator.setClockOffset(Number(request.body.offsetMs))
    return { now: emulator.now().toISOString() }
  })

  // Whole-database listings, so a test in another process can check "exactly once" from outside.
  fastify.get<{ Querystring: DatabaseQuery }>('/tickets', async (request) => emulator.listTickets(request.query.database).map(recordJson))
  fastify.get<{ Querystring: DatabaseQuery }>('/notes', async (request) => emulator.listNotes(undefined, request.query.database).map(recordJson))

  fastify.get<{ Params: { id: string }; Querystring: DatabaseQuery }>('/tickets/:id', async (request, reply) => {
    const ticket = emulator.getTicket(Number(request.params.id), request.query.database)
    return ticket ? recordJson(ticket) : reply.code(404).send({ error: 'ticket not found' })
  })

  fastify.get<{ Params: { id: string }; Querystring: DatabaseQuery }>('/tickets/:id/notes', async (request) =>
    emulator.listNotes(Number(request.params.id), request.query.database).map(recordJson),
  )

  fastify.post<{ Params: { id: string }; Querystring: DatabaseQuery; Body: TechnicianNoteInput }>('/tickets/:id/notes', async (request, reply) => {
    const note = emulator.addTechnicianNote(Number(request.params.id), request.body, request.query.database)
    return reply.code(201).send(recordJson(note))
  })

  fastify.patch<{ Params: { id: string }; Querystring: DatabaseQuery; Body: Record<string, unknown> }>('/tickets/:id', async (request) =>
    recordJson(emulator.editTicket(Number(request.params.id), fieldsFromJson(request.body ?? {}), request.query.database)),
  )

  fastify.delete<{ Params: { id: string }; Querystring: DatabaseQuery }>('/tickets/:id', async (request, reply) => {
    emulator.deleteTicket(Number(request.params.id), request.query.database)
    return reply.code(204).send()
  })

  // Autotask moves the tenant to another zone ('' = back home): the old zone refuses it from now on.
  // With afterRequests, the move happens once that many more requests have arrived.
  fastify.post<{ Querystring: DatabaseQuery; Body: { zone: string; afterRequests?: number } }>('/zone-move', async (request) => {
    const zone = String(request.body?.zone ?? '')
    if (!/^[A-Za-z0-9-]*$/.test(zone)) throw new Error('zone must be letters, digits or dashes')
    emulator.moveToZone(zone, request.query.database, Number(request.body?.afterRequests ?? 0))
    return { ok: true, zone }
  })

  fastify.post<{ Params: { id: string }; Querystring: DatabaseQuery; Body: { intoTicketId: number } }>('/tickets/:id/merge', async (request) => {
    emulator.mergeTickets(Number(request.params.id), Number(request.body.intoTicketId), request.query.database)
    return { ok: true }
  })
}

export default controlRoutes
