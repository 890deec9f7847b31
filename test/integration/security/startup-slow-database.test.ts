import { loadConfig } from '../../../server/src/config'
import type { Database } from '../../../server/src/db/database'
import { launchServer } from '../../../server/src/launch-server'
import { createTestDatabase } from '../../helpers/test-database'

// Issue 13: on a busy machine PGlite's start plus the migrations took longer than Fastify's
// plugin timeout and `npm start` died with "Plugin did not start in time: 'database'".
const PLUGIN_TIMEOUT_MS = 1_500

let database: Database
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SANDBOX: 'off', PSA_LINK_SECRET_KEY: 'c'.repeat(64), SHUTDOWN_TIMEOUT_SECONDS: '5' })
/** The test's database, handed over without letting the app drop it when it closes. */
const borrowed = (): Database => ({ ...database, close: async () => undefined })

beforeAll(async () => {
  database = await createTestDatabase()
  // A first start creates the schema and pg-boss's tables, so the timed start below is all opening.
  const first = await launchServer(config, { openDatabase: async () => borrowed() })
  await first.close()
}, 120_000)
afterAll(async () => {
  await database?.close()
})

it('starts and answers /health when opening the database takes longer than the plugin timeout', async () => {
  let opened = false
  const slowOpen = () =>
    new Promise<Database>((resolve) => {
      setTimeout(() => {
        opened = true
        resolve(borrowed())
      }, PLUGIN_TIMEOUT_MS * 2)
    })
  const server = await launchServer(config, { openDatabase: slowOpen, pluginTimeout: PLUGIN_TIMEOUT_MS })
  try {
    expect(opened).toBe(true)
    const response = await server.inject({ method: 'GET', url: '/health' })
    expect(response.statusCode).toBe(200)
  } finally {
    await server.close()
  }
})
