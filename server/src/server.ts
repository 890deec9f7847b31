import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import app from './app'
import { firstAdminSetupCode } from './admin/first-admin-setup'
import { ConfigError, loadConfig, trustProxyOption, type Config } from './config'
import { createFirstAdminRepository } from './db/repositories/first-admin-repository'
import { loggerOptions } from './logging'
import { VERSION } from './version'

/** Launches PSA Link: reads `.env` (if any) and the environment, starts the app, stops it cleanly. */
async function main(): Promise<void> {
  try {
    process.loadEnvFile()
  } catch {
    // No .env file: the environment alone configures PSA Link.
  }
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`PSA Link cannot start. ${error.message}\nSee .env.example for every variable.`)
      process.exit(1)
    }
    throw error
  }

  const server = Fastify({
    logger: loggerOptions(config.LOG_LEVEL),
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    // Opening the database includes the embedded PostgreSQL's first start (a WebAssembly build) and
    // the migrations: on a small, busy machine that takes longer than Fastify's default 10 s.
    pluginTimeout: 120_000,
  })
  await server.register(app, { config })

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_SECONDS * 1000 }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'stopping after an uncaught error')
    else server.log.info({ signal }, 'stopping: finishing running work, closing the database')
    await server.close()
    server.log.info('stopped cleanly')
  })

  await server.listen({ host: config.HOST, port: config.PORT })
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  const origin = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`
  if (server.sandbox) {
    await server.sandbox.connect(origin)
    await server.engine.requestCycles()
  }
  printBanner(server, config, origin, server.sandbox ? await server.sandbox.describe(origin) : [])
  if (!(await createFirstAdminRepository(server.db.pool).isSetUp())) {
    // In production the code is a credential: it is read on the server's own shell, never from a log.
    const code = config.NODE_ENV === 'production' ? 'that `npm run setup-code` prints on this server' : firstAdminSetupCode(server.engine.secrets)
    server.log.info(`first administrator of your own Zendesk: open ${origin}/admin/#/setup and enter the setup code ${code}`)
  }
}

function printBanner(server: ReturnType<typeof Fastify>, config: Config, origin: string, sandboxLines: string[]): void {
  const database =
    server.db.kind === 'embedded'
      ? `embedded PostgreSQL (PGlite) with data in ${config.DATA_DIR}/pg. It is for trying PSA Link and small single-instance installs; set DATABASE_URL to a real PostgreSQL for production.`
      : 'PostgreSQL from DATABASE_URL'
  server.log.info(`PSA Link ${VERSION} is running at ${origin}`)
  server.log.info(`database: ${database}`)
  server.log.info(`health: ${origin}/health · metrics: ${origin}/metrics`)
  server.log.info(`admin utility: ${origin}/admin/`)
  if (sandboxLines.length > 0) server.log.info(sandboxLines.join('\n'))
}

await main()
