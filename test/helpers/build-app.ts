import Fastify, { type FastifyInstance } from 'fastify'
import app from '../../server/src/app'
import { loadConfig, type Config } from '../../server/src/config'
import type { Database } from '../../server/src/db/database'

export interface TestAppOptions {
  database: Database
  /** Environment variables as strings, exactly as the launcher would read them. */
  env?: Record<string, string>
}

/** The real app, on the test's own database, ready for `inject` or `listen`. */
export async function buildTestApp({ database, env = {} }: TestAppOptions): Promise<FastifyInstance> {
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_SECONDS: '5', ...env })
  const server = Fastify({ logger: { level: config.LOG_LEVEL } })
  await server.register(app, { config, database })
  await server.ready()
  return server
}
