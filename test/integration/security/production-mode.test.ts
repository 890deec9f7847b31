import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawnEntryPoint, type SpawnedProcess } from '../../helpers/spawn-server'
import { createTestDatabase } from '../../helpers/test-database'
import type { Database } from '../../../server/src/db/database'

// A fresh production install, attacked as issue 13 describes: with nothing configured it must not
// mount the sandbox (emulators, demo admin, the preview's open proxy), print credentials, or even
// load the sandbox's code.

const RECORDER = './test/helpers/record-modules.mjs'
const SANDBOX_CODE = '/server/sandbox/'

let dataDir: string
let database: Database | null = null

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'psa-link-production-'))
  // CI's PostgreSQL when there is one; otherwise each run's own embedded database in DATA_DIR.
  if (process.env.DATABASE_URL) database = await createTestDatabase()
})
afterAll(async () => {
  await database?.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === 'object' && address ? address.port : 0
}

async function start(env: Record<string, string>, name: string): Promise<{ server: SpawnedProcess; origin: string; modules: () => Promise<string[]> }> {
  const port = await freePort()
  const moduleLog = path.join(dataDir, `${name}-modules.txt`)
  const server = spawnEntryPoint(
    'server/src/server.ts',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(dataDir, name),
      DATABASE_URL: database?.url,
      LOG_LEVEL: 'info',
      PSA_LINK_MODULE_LOG: moduleLog,
      SANDBOX: undefined,
      PUBLIC_URL: undefined,
      ...env,
    },
    ['--import', RECORDER],
  )
  await server.waitFor(/is running at/, 90_000)
  return { server, origin: `http://127.0.0.1:${port}`, modules: async () => (await readFile(moduleLog, 'utf8')).split('\n').filter(Boolean) }
}

async function stop(server: SpawnedProcess): Promise<void> {
  server.child.kill('SIGTERM')
  await server.exited
}

describe('a fresh production install', () => {
  it('answers 404 under /sandbox, prints no credential and never loads the sandbox when NODE_ENV=production', async () => {
    const { server, origin, modules } = await start({ NODE_ENV: 'production', PUBLIC_URL: 'https://psa.example.test' }, 'production')
    try {
      const attacks: [string, RequestInit][] = [
        ['/sandbox/agent?ticket=1', {}],
        // The preview's proxy fetched any URL for anyone, internal addresses included.
        [
          '/sandbox/agent/proxy',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: { url: 'http://127.0.0.1:22/' } }) },
        ],
        ['/sandbox/zendesk/api/v2/tickets.json', { headers: { authorization: 'Bearer sandbox-oauth-token' } }],
        [
          '/sandbox/zendesk/oauth/tokens',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) },
        ],
        ['/sandbox/zendesk/_control/state', {}],
        ['/sandbox/autotask/_control/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ]
      for (const [url, init] of attacks) expect([url, (await fetch(`${origin}${url}`, init)).status]).toEqual([url, 404])

      // The demo admin of the sandbox does not exist here.
      const signIn = await fetch(`${origin}/admin/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.test', password: 'sandbox-admin-first' }),
      })
      expect(signIn.status).not.toBe(200)

      const output = server.output()
      for (const credential of ['sandbox-admin-first', 'sandbox-secret', 'sandbox-oauth-token', 'sandbox-app-shared-secret', 'SANDBOX0INTEGRATION0CODE']) {
        expect(output).not.toContain(credential)
      }
      // The first admin's setup code is read on the server's shell, not from the log.
      expect(output).toContain('npm run setup-code')
      expect(output).not.toMatch(/setup code [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)

      const loaded = await modules()
      expect(loaded.some((url) => url.includes('/server/src/app.ts'))).toBe(true)
      expect(loaded.filter((url) => url.includes(SANDBOX_CODE))).toEqual([])
    } finally {
      await stop(server)
    }
  })

  it('loads the sandbox package and mounts it when development mode asks for it (the recorder sees it)', async () => {
    const { server, origin, modules } = await start({ NODE_ENV: 'development', SANDBOX: 'on' }, 'development')
    try {
      expect((await fetch(`${origin}/sandbox/agent?ticket=1`)).status).not.toBe(404)
      expect((await modules()).some((url) => url.includes(SANDBOX_CODE))).toBe(true)
    } finally {
      await stop(server)
    }
  })
})
