import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import app from './app'
import { ConfigError, loadConfig, type Config } from './config'
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

  const server = Fastify({ logger: { level: config.LOG_LEVEL } })
  await server.register(app, { config })

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_SECONDS * 1000 }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'stopping after an uncaught error')
    else server.log.info({ signal }, 'stopping: finishing running work, closing the database')
    await server.close()
    server.log.info('stopped cleanly')
  })

  await server.listen({ host: config.HOST, port: config.PORT })
  printBanner(server, config)
}

function printBanner(server: ReturnType<typeof Fastify>, config: Config): void {
  const address = server.addresses()[0]
  const origin = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${address?.port ?? config.PORT}`
  const database =
    server.db.kind === 'embedded'
      ? `embedded PostgreSQL (PGlite) with data in ${config.DATA_DIR}/pg. It is for trying PSA Link and small single-instance installs; set DATABASE_URL to a real PostgreSQL for production.`
      : 'PostgreSQL from DATABASE_URL'
  server.log.info(`PSA Link ${VERSION} is running at ${origin}`)
  server.log.info(`database: ${database}`)
  server.log.info(`health: ${origin}/health`)
}

await main()
