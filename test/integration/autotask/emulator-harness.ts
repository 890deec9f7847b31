import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import autotaskSandbox, { createAutotaskEmulator, sandboxCredentials } from '../../../server/sandbox/src/autotask/index'
import type { AutotaskEmulator } from '../../../server/sandbox/src/autotask/index'
import type { AutotaskSoapClientOptions } from '../../../server/src/adapters/autotask/index'
import { createAutotaskSoapClient } from '../../../server/src/adapters/autotask/index'

export interface EmulatorHarness {
  app: FastifyInstance
  emulator: AutotaskEmulator
  baseUrl: string
  soapUrl: string
  /** Every SOAP envelope POSTed to the emulator (any zone), in arrival order. */
  sentEnvelopes: string[]
  client: (overrides?: Partial<AutotaskSoapClientOptions>) => ReturnType<typeof createAutotaskSoapClient>
  close: () => Promise<void>
}

/** The emulator on its own Fastify instance on 127.0.0.1, as the app will mount it. */
export async function startEmulator(): Promise<EmulatorHarness> {
  const emulator = createAutotaskEmulator()
  const app = Fastify()
  const sentEnvelopes: string[] = []
  app.addHook('preHandler', async (request) => {
    if (request.method === 'POST' && /\/atws\.asmx$/i.test(request.url.split('?')[0] ?? '') && typeof request.body === 'string')
      sentEnvelopes.push(request.body)
  })
  await app.register(autotaskSandbox, { emulator, prefix: '/sandbox/autotask' })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const baseUrl = `${address}/sandbox/autotask`
  const soapUrl = `${baseUrl}/ATServices/1.6/atws.asmx`
  return {
    app,
    emulator,
    baseUrl,
    soapUrl,
    sentEnvelopes,
    client: (overrides = {}) =>
      createAutotaskSoapClient({
        username: sandboxCredentials.userName,
        secret: sandboxCredentials.secret,
        integrationCode: sandboxCredentials.integrationCode,
        zoneLookupUrl: soapUrl,
        timeoutMs: 5_000,
        ...overrides,
      }),
    close: () => app.close(),
  }
}
