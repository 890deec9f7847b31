import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { connect } from '../../server/src/db/database'
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres'
import { spawnEntryPoint } from '../helpers/spawn-server'

// The launcher as a person runs it (`npm start`): embedded database, real signals, real restarts.
let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'psa-link-lifecycle-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

const launcherEnv = () => ({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: undefined, NODE_ENV: 'development' })

async function startAndCheckHealth() {
  const server = spawnEntryPoint('server/src/server.ts', launcherEnv())
  const [, origin] = await server.waitFor(/is running at (http:\/\/[\d.]+:\d+)/, 60_000)
  const response = await fetch(`${origin}/health`)
  return { server, response, body: (await response.json()) as { status: string; database: { kind: string } } }
}

async function withDataDir<T>(work: (query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>) {
  const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'))
  const database = await connect(embedded.url, 'embedded', embedded.stop)
  try {
    return await work((sql, params) => database.pool.query(sql, params))
  } finally {
    await database.close()
  }
}

describe('the launcher', () => {
  it('starts on the embedded database, answers /health and exits cleanly on Ctrl-C, keeping data across restarts', async () => {
    const first = await startAndCheckHealth()
    expect(first.response.status).toBe(200)
    expect(first.body).toMatchObject({ status: 'ok', database: { kind: 'embedded', reachable: true } })
    expect(first.server.output()).toContain('embedded PostgreSQL (PGlite)')

    const stoppedAt = Date.now()
    first.server.child.kill('SIGINT')
    expect(await first.server.exited).toBe(0)
    expect(Date.now() - stoppedAt).toBeLessThan(10_000)
    expect(first.server.output()).toContain('stopped cleanly')

    await withDataDir((query) => query("INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ('persisted', 'https://persisted.zendesk.test')"))

    const second = await startAndCheckHealth()
    expect(second.response.status).toBe(200)
    expect(second.server.output()).not.toContain('database migrations applied')
    second.server.child.kill('SIGTERM')
    expect(await second.server.exited).toBe(0)

    // The row written between the runs is still there; with a real account the second run no longer
    // mounted the sandbox, so the demo account the first run recorded is gone.
    const rows = await withDataDir(async (query) => (await query('SELECT subdomain FROM zendesk_accounts ORDER BY subdomain')).rows)
    expect(rows).toEqual([{ subdomain: 'persisted' }])
  })

  it('refuses to start and names the variable when the environment is wrong', async () => {
    const server = spawnEntryPoint('server/src/server.ts', { ...launcherEnv(), PORT: 'eighty', SYNC_INTERVAL_SECONDS: '2' })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('PSA Link cannot start')
    expect(server.output()).toContain('PORT is "eighty": must be integer')
    expect(server.output()).toContain('SYNC_INTERVAL_SECONDS is "2"')
  })
})
