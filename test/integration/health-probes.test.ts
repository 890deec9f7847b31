import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import psaLink from '../../server/src/app'
import { loadConfig } from '../../server/src/config'
import type { Database } from '../../server/src/db/database'
import { buildTestApp } from '../helpers/build-app'
import { createTestDatabase, onRealPostgres } from '../helpers/test-database'

// Liveness and readiness as an orchestrator sees them: the real app on a database of the file's own.
let database: Database
let app: FastifyInstance
beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ database })
})
afterAll(async () => {
  await app.close()
  await database.close()
})

describe('GET /health/live and /health/ready', () => {
  it('answers alive and ready when the database answers, every migration is applied and the workers run', async () => {
    const live = await app.inject({ method: 'GET', url: '/health/live' })
    expect(live.statusCode).toBe(200)
    expect(live.json()).toMatchObject({ status: 'alive' })
    const ready = await app.inject({ method: 'GET', url: '/health/ready' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true, pending: [] }, workers: { ok: true } },
    })
  })

  it('is not ready, but alive, when a migration of this release is not applied', async () => {
    const { rows } = await database.pool.query<{ name: string }>(
      'DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations) RETURNING name',
    )
    const missing = rows[0]!.name
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ status: 'not ready', checks: { migrations: { ok: false, pending: [missing] } } })
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
    } finally {
      await database.pool.query('INSERT INTO schema_migrations (name) VALUES ($1)', [missing])
    }
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200)
  })

  it('reports the workers down once shutdown begins', async () => {
    const own = await createTestDatabase()
    const closing = Fastify({ logger: false })
    await closing.register(psaLink, { config: loadConfig({ NODE_ENV: 'test', SHUTDOWN_TIMEOUT_SECONDS: '5' }), database: own })
    // onClose hooks run after every preClose hook: what the readiness check sees while jobs drain.
    let workersWhileClosing: boolean | undefined
    closing.addHook('onClose', async (instance) => {
      workersWhileClosing = instance.syncWorkers.running()
    })
    try {
      await closing.ready()
      expect(closing.syncWorkers.running()).toBe(true)
      await closing.close()
      expect(workersWhileClosing).toBe(false)
    } finally {
      await own.close()
    }
  })
})

describe.skipIf(!onRealPostgres())('readiness when the database goes away (needs DATABASE_URL: a real PostgreSQL)', () => {
  it('is not ready, but still alive, when the database refuses connections', async () => {
    const name = new URL(database.url).pathname.slice(1)
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name])
      const ready = await app.inject({ method: 'GET', url: '/health/ready' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ status: 'not ready', checks: { database: { ok: false }, migrations: { ok: false } } })
      const live = await app.inject({ method: 'GET', url: '/health/live' })
      expect(live.statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(503)
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      await admin.end()
    }
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200)
  })
})
