import closeWithGrace from 'close-with-grace'
import type Fastify from 'fastify'
import { firstAdminSetupCode } from './admin/first-admin-setup'
import { ConfigError, loadConfig, type Config } from './config'
import { createFirstAdminRepository } from './db/repositories/first-admin-repository'
import { describeSandboxAdmin } from './sandbox/sandbox-admin'
import { SANDBOX_APP_SHARED_SECRET, SANDBOX_SUBDOMAIN } from './sandbox/sandbox-tenant'
import { VERSION } from './version'
import { launchServer } from './launch-server'

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
    await server.engine.requestCycles()
  }
  printBanner(server, config, origin, server.sandbox ? await describeSandboxAdmin(server.db.pool) : null)
  if (!(await createFirstAdminRepository(server.db.pool, SANDBOX_SUBDOMAIN).isSetUp())) {
    server.log.info(`first administrator of your own Zendesk: open ${origin}/admin/#/setup and enter the setup code ${firstAdminSetupCode(server.engine.secrets)}`)
  }
}

function printBanner(server: ReturnType<typeof Fastify>, config: Config, origin: string, sandboxAdmin: string | null): void {
  const database =
    server.db.kind === 'embedded'
      ? `embedded PostgreSQL (PGlite) with data in ${config.DATA_DIR}/pg. It is for trying PSA Link and small single-instance installs; set DATABASE_URL to a real PostgreSQL for production.`
      : 'PostgreSQL from DATABASE_URL'
  server.log.info(`PSA Link ${VERSION} is running at ${origin}`)
  server.log.info(`database: ${database}`)
  server.log.info(`health: ${origin}/health · metrics: ${origin}/metrics`)
  server.log.info(`admin utility: ${origin}/admin/`)
  if (server.sandbox) {
    server.log.info(
      [
        'sandbox: no real Zendesk or Autotask is configured, so emulators are mounted and synced every cycle',
        `  agent preview (the sidebar app on a Zendesk-like ticket): ${origin}/sandbox/agent?ticket=1`,
        `  Zendesk emulator: ${origin}/sandbox/zendesk (subdomain demo; Bearer sandbox-oauth-token or admin@demo.test/token:sandbox-token)`,
        `  Autotask emulator: ${origin}/sandbox/autotask/ATServices/1.6/atws.asmx (api@demo.test / sandbox-secret / SANDBOX0INTEGRATION0CODE0001)`,
        `  sidebar app shared secret: ${SANDBOX_APP_SHARED_SECRET}`,
        `  admin utility login: ${sandboxAdmin ?? ''}`,
      ].join('\n'),
    )
  }
}

await main()
