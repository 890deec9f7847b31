import type { FastifyPluginAsync } from 'fastify'
import benchControls from './bench-controls'
import type { ZendeskEmulator } from './emulator'
import type { ZendeskFaults, ZendeskLimits } from './limits'
import type { LostResponseSettings } from '../lost-responses'

/**
 * The emulator's own control surface (not Zendesk's API): counters, limits, faults, clock, webhook
 * deliveries and reset, for tests and the benchmark that run the emulator in another process.
 */
export interface ControlRoutesOptions {
  emulator: ZendeskEmulator
}

const controlRoutes: FastifyPluginAsync<ControlRoutesOptions> = async (fastify, { emulator }) => {
  fastify.get('/counters', async () => ({ counters: emulator.counters(), service: emulator.serviceTimes() }))
  fastify.post('/counters/reset', async () => {
    emulator.resetCounters()
    return { counters: emulator.counters() }
  })
  fastify.get('/limits', async () => ({ limits: emulator.limits(), export_lag_seconds: emulator.exportLagSeconds() }))
  fastify.put('/limits', async (request) => {
    const body = (request.body ?? {}) as Partial<ZendeskLimits> & { exportLagSeconds?: number }
    const { exportLagSeconds, ...limits } = body
    emulator.setLimits(limits)
    if (typeof exportLagSeconds === 'number') emulator.setExportLagSeconds(exportLagSeconds)
    return { limits: emulator.limits(), export_lag_seconds: emulator.exportLagSeconds() }
  })
  fastify.post('/limits/reset-windows', async () => {
    emulator.resetRateLimits()
    return { ok: true }
  })
  fastify.get('/faults', async () => ({ faults: emulator.faults() }))
  fastify.put('/faults', async (request) => {
    emulator.setFaults((request.body ?? {}) as Partial<ZendeskFaults>)
    return { faults: emulator.faults() }
  })
  fastify.delete('/faults', async () => {
    emulator.clearFaults()
    return { faults: emulator.faults() }
  })
  // Writes that take effect and then lose their answer: { rate, next, mode, holdMs, seed }.
  fastify.get('/lost-responses', async () => ({ lost_responses: emulator.lostResponses.settings() }))
  fastify.put('/lost-responses', async (request, reply) => {
    try {
      emulator.lostResponses.set((request.body ?? {}) as Partial<LostResponseSettings>)
    } catch (error) {
      return reply.code(400).send({ error: 'InvalidValue', description: (error as Error).message })
    }
    const settings = emulator.lostResponses.settings()
    request.log.info({ lostResponses: settings }, `zendesk emulator: lost responses, seed ${settings.seed}`)
    return { lost_responses: settings }
  })
  fastify.delete('/lost-responses', async () => {
    emulator.lostResponses.clear()
    return { lost_responses: emulator.lostResponses.settings() }
  })
  fastify.get('/clock', async () => ({ now: emulator.now().toISOString() }))
  fastify.post('/clock', async (request) => {
    const body = (request.body ?? {}) as { now?: string | null; advanceMs?: number }
    if (body.now !== undefined) emulator.setNow(body.now === null ? null : new Date(body.now))
    if (typeof body.advanceMs === 'number') emulator.advanceTime(body.advanceMs)
    return { now: emulator.now().toISOString() }
  })
  fastify.get('/webhook-deliveries', async () => {
    await emulator.webhooksSettled()
    return { deliveries: emulator.webhookDeliveries() }
  })
  fastify.post('/oauth/expire-tokens', async () => {
    emulator.expireAccessTokens()
    return { ok: true }
  })
  await fastify.register(benchControls, { emulator })
  fastify.post('/reset', async () => {
    emulator.reset()
    return { ok: true }
  })
}

export default controlRoutes
