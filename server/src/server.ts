import closeWithGrace from 'close-with-grace'
import { firstAdminSetupCode } from './admin/first-admin-setup'
import { ConfigError, loadConfig, type Config } from './config'
import { createFirstAdminRepository } from './db/repositories/first-admin-repository'
import { formatBanner } from './startup-banner'
import { keepHeapCompact } from './heap-growth'
import { VERSION } from './version'
import { launchServer } from './launch-server'

/** Launches PSA Link: reads `.env` (if any) and the environment, starts the app, stops it cleanly. */
async function main(): Promise<void> {
  keepHeapCompact()
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

  const server = await launchServer(config)

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
    await server.cycleScheduler.requestNow()
  }
  const database =
    server.db.kind === 'embedded'
      ? `embedded PostgreSQL (PGlite), data in ${config.DATA_DIR}/pg: for trying PSA Link and small single-instance installs; set DATABASE_URL to a real PostgreSQL for production`
      : 'PostgreSQL from DATABASE_URL'
  let firstAdmin: string | null = null
  if (!(await createFirstAdminRepository(server.db.pool).isSetUp())) {
    // In production the code is a credential: it is read on the server's own shell, never from a log.
    const code = config.NODE_ENV === 'production' ? 'that `npm run setup-code` prints on this server' : firstAdminSetupCode(server.secrets)
    firstAdmin = `First administrator of your own Zendesk: open ${origin}/admin/#/setup and enter the setup code ${code}`
  }
  server.log.info({ origin, database: server.db.kind }, `PSA Link ${VERSION} is running at ${origin}`)
  if (config.NODE_ENV === 'production') {
    // Production logs stay one JSON object a line, for log collectors.
    server.log.info(`database: ${database}`)
    if (firstAdmin) server.log.info(firstAdmin)
  } else {
    const sandboxLines = server.sandbox ? await server.sandbox.describe(origin) : []
    process.stdout.write(`${formatBanner({ version: VERSION, origin, database, sandboxLines, firstAdmin })}\n`)
  }
}

await main()
