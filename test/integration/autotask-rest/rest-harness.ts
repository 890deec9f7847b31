import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import autotaskSandbox, { createAutotaskEmulator, sandboxCredentials } from '../../../server/sandbox/src/autotask/index'
import type { AutotaskEmulator } from '../../../server/sandbox/src/autotask/index'
import type { AutotaskRestClientOptions } from '../../../server/src/adapters/autotask/index'
import { createAutotaskRestClient } from '../../../server/src/adapters/autotask/index'
import type { AutotaskSoapClientOptions } from '../../../server/src/adapters/autotask/index'
import { createAutotaskSoapClient } from '../../../server/src/adapters/autotask/index'

export interface RestHarness {
  app: FastifyInstance
  emulator: AutotaskEmulator
  baseUrl: string
  /** Where the sandbox answers zoneInformation. */
  zoneLookupUrl: string
  restBase: string
  soapUrl: string
  client: (overrides?: Partial<AutotaskRestClientOptions>) => ReturnType<typeof createAutotaskRestClient>
  soapClient: (overrides?: Partial<AutotaskSoapClientOptions>) => ReturnType<typeof createAutotaskSoapClient>
  /** A raw REST call with the sandbox credentials (headers can be overridden or removed with undefined). */
  raw: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string | undefined>,
  ) => Promise<{ status: number; body: unknown; headers: Headers }>
  close: () => Promise<void>
}

/** The emulator on its own Fastify instance on 127.0.0.1, with both faces, as the app mounts it. */
export async function startRestEmulator(): Promise<RestHarness> {
  const emulator = createAutotaskEmulator()
  // A request the client gave up on (timeout tests) must not hold close() for the keep-alive timeout.
  const app = Fastify({ forceCloseConnections: true })
  await app.register(autotaskSandbox, { emulator, prefix: '/sandbox/autotask' })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const baseUrl = `${address}/sandbox/autotask`
  const restBase = `${baseUrl}/ATServicesRest/V1.0/`
  const zoneLookupUrl = `${baseUrl}/atservicesrest/v1.0/zoneInformation`
  const soapUrl = `${baseUrl}/ATServices/1.6/atws.asmx`
  const credentials = { UserName: sandboxCredentials.userName, Secret: sandboxCredentials.secret, ApiIntegrationCode: sandboxCredentials.integrationCode }
  return {
    app,
    emulator,
    baseUrl,
    zoneLookupUrl,
    restBase,
    soapUrl,
    client: (overrides = {}) =>
      createAutotaskRestClient({
        username: sandboxCredentials.userName,
        secret: sandboxCredentials.secret,
        integrationCode: sandboxCredentials.integrationCode,
        zoneLookupUrl,
        timeoutMs: 5_000,
        ...overrides,
      }),
    soapClient: (overrides = {}) =>
      createAutotaskSoapClient({
        username: sandboxCredentials.userName,
        secret: sandboxCredentials.secret,
        integrationCode: sandboxCredentials.integrationCode,
        zoneLookupUrl: soapUrl,
        timeoutMs: 5_000,
        ...overrides,
      }),
    raw: async (method, path, body, headers = {}) => {
      const merged: Record<string, string> = {}
      for (const [name, value] of Object.entries({ ...credentials, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers }))
        if (value !== undefined) merged[name] = value
      const response = await fetch(/^https?:/.test(path) ? path : `${restBase}${path}`, {
        method,
        headers: merged,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // HTML pages stay text
      }
      return { status: response.status, body: parsed, headers: response.headers }
    },
    close: () => app.close(),
  }
}
