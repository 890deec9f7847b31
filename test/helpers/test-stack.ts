import Fastify, { type FastifyInstance } from 'fastify'
import app, { type AppOptions } from '../../server/src/app'
import { loadConfig } from '../../server/src/config'
import type { Database } from '../../server/src/db/database'
import { loggerOptions } from '../../server/src/logging'
import type { Sandbox, SandboxPluginOptions } from '../../server/sandbox/src'
import { createTestDatabase } from './test-database'

export interface TestStack {
  app: FastifyInstance
  /** http://127.0.0.1:PORT — the backend, with the emulators under /sandbox. */
  origin: string
  sandbox: Sandbox
  /** The sandbox tenant (Zendesk account `demo`). */
  accountId: number
  database: Database
  close(): Promise<void>
}

export interface TestStackOptions {
  /** Environment variables, as strings, on top of the test defaults. */
  env?: Record<string, string>
  /** Scheduled cycles (off by default: tests run cycles when they mean to). */
  schedule?: boolean
  emulators?: Pick<SandboxPluginOptions, 'zendesk' | 'autotask' | 'zendeskAccounts'>
  /** Reuse a database (e.g. to restart the backend on the same data). */
  database?: Database
  /** The admin console's limits, when a test needs other than the production defaults. */
  admin?: AppOptions['admin']
  /** The sidebar API's limits and Sync now's wait (e.g. a wait as long as the test allows). */
  api?: AppOptions['api']
  /** Where the log lines go (the production logger's options, redaction included); stdout by default. */
  logStream?: NodeJS.WritableStream
}

/**
 * The whole backend on a real port with the sandbox mounted, on a database of the test's own:
 * the engine talks to the emulators over real HTTP, exactly as in production.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const database = options.database ?? (await createTestDatabase())
  const dataDir = `${process.env.TMPDIR ?? '/tmp'}/psa-link-test-${process.pid}`
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SANDBOX: 'on',
    DATA_DIR: dataDir,
    PSA_LINK_SECRET_KEY: 'a'.repeat(64),
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    ...options.env,
  })
  const server = Fastify({ logger: loggerOptions(config.LOG_LEVEL, options.logStream) })
  await server.register(app, {
    config,
    database,
    schedule: options.schedule ?? false,
    ...(options.emulators ? { sandbox: options.emulators } : {}),
    ...(options.admin ? { admin: options.admin } : {}),
    ...(options.api ? { api: options.api } : {}),
  })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const address = server.server.address()
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const sandbox = server.sandbox as Sandbox
  const accountId = await sandbox.connect(origin)
  // The transport matrix: the same scenarios run with the sandbox connection on each transport.
  const transport = process.env.TEST_AUTOTASK_TRANSPORT
  if (transport) {
    await database.pool.query('UPDATE autotask_connections SET transport = $2, updated_at = now() WHERE zendesk_account_id = $1', [accountId, transport])
  }
  return {
    app: server,
    origin,
    sandbox,
    accountId,
    database,
    async close() {
      await server.close()
      if (!options.database) await database.close()
    },
  }
}
