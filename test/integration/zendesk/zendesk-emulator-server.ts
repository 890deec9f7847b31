import Fastify from 'fastify'
import zendeskSandbox, { createZendeskEmulator } from '../../../server/sandbox/src/zendesk/index'
import type { ZendeskEmulator, ZendeskEmulatorOptions } from '../../../server/sandbox/src/zendesk/index'

/** One request to the emulator's Zendesk face and its answer, as they crossed the wire. */
export interface RecordedExchange {
  method: string
  /** Path and query below the mount point, e.g. /api/v2/tickets/1.json */
  url: string
  status: number
  requestBody: unknown
  responseBody: unknown
}

export interface RunningZendeskEmulator {
  emulator: ZendeskEmulator
  /** Every exchange with /api/v2 and /oauth since start, for checks against Zendesk's OpenAPI. */
  exchanges: RecordedExchange[]
  /** What a client is configured with: http://127.0.0.1:PORT/sandbox/zendesk */
  baseUrl: string
  close(): Promise<void>
}

/** The emulator on its own Fastify instance, over real HTTP on loopback, as the app will mount it. */
export async function startZendeskEmulator(options: ZendeskEmulatorOptions = {}): Promise<RunningZendeskEmulator> {
  const emulator = createZendeskEmulator({ exportLagSeconds: 0, ...options })
  const server = Fastify({ logger: false })
  const exchanges: RecordedExchange[] = []
  server.addHook('onSend', async (request, reply, payload) => {
    const url = request.url.replace(/^\/sandbox\/zendesk/, '')
    if (url.startsWith('/api/v2/') || url.startsWith('/oauth/')) {
      let responseBody: unknown = payload
      if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').includes('json')) responseBody = JSON.parse(payload)
      exchanges.push({ method: request.method, url, status: reply.statusCode, requestBody: request.body, responseBody })
    }
    return payload
  })
  await server.register(zendeskSandbox, { prefix: '/sandbox/zendesk', emulator })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const address = server.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    emulator,
    exchanges,
    baseUrl: `http://127.0.0.1:${address.port}/sandbox/zendesk`,
    close: async () => {
      await emulator.webhooksSettled()
      await server.close()
    },
  }
}

export const SANDBOX_BEARER = { type: 'oauth', accessToken: 'sandbox-oauth-token' } as const

/** A sleep for the client that waits no real time: it records the wait and moves the emulator's clock. */
export function fastForwardSleep(emulator: ZendeskEmulator): { sleep: (milliseconds: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    sleep: async (milliseconds) => {
      waits.push(milliseconds)
      emulator.advanceTime(milliseconds)
    },
  }
}
