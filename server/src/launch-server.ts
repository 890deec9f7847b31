import Fastify, { type FastifyInstance } from 'fastify'
import app from './app'
import { trustProxyOption, type Config } from './config'
import { loggerOptions } from './logging'
import { openDatabase, type Database } from './db/database'
import { migrate } from './db/migrate'

export interface LaunchOptions {
  /** Opens the database (default: DATABASE_URL or the embedded one in DATA_DIR). */
  openDatabase?: (config: Config) => Promise<Database>
  /** Fastify's limit on each plugin's start (default Fastify's own, 10 s). */
  pluginTimeout?: number
}

/**
 * PSA Link on a Fastify server, every plugin loaded, not yet listening. The database is opened and
 * migrated first, outside the plugin tree: PGlite's start and the migrations are the slow part of
 * a start and, on a busy machine, took longer than Fastify's plugin timeout ("Plugin did not start
 * in time: 'database'"). They take as long as they take; the plugins after them still have the
 * usual limit, so a plugin that hangs is still reported.
 */
export async function launchServer(config: Config, options: LaunchOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: loggerOptions(config.LOG_LEVEL),
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    ...(options.pluginTimeout === undefined ? {} : { pluginTimeout: options.pluginTimeout }),
  })
  const database = await (options.openDatabase ?? openDatabase)(config)
  try {
    const { applied } = await migrate(database.pool)
    if (applied.length > 0) server.log.info({ applied }, 'database migrations applied')
    await server.register(app, { config, database, launched: true })
    await server.ready()
  } catch (error) {
    await server.close().catch(() => undefined)
    await database.close()
    throw error
  }
  return server
}
