import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT, spawnEntryPoint, TSX_LOADER } from '../helpers/spawn-server'

// A developer's `.env` must not configure the servers the tests spawn: the launcher reads `.env`
// from its working directory, so the `.env` here lives in a temporary directory used as that
// working directory (never in the repository), with a bogus database and an invalid interval.
let directory: string
const DOTENV = ['DATABASE_URL=postgres://dotenv-leak@127.0.0.1:1/from_dotenv', 'SYNC_INTERVAL_SECONDS=1', 'SANDBOX=on', ''].join('\n')

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'psa-link-dotenv-'))
  await writeFile(path.join(directory, '.env'), DOTENV)
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('servers spawned by the tests', () => {
  it('would be configured by the .env in their working directory when started without the helper', async () => {
    // The positive control: this .env does reach a launcher started the ordinary way.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: '0', DATA_DIR: path.join(directory, 'unused') }
    delete env.DATABASE_URL
    delete env.SYNC_INTERVAL_SECONDS
    const child = spawn(process.execPath, ['--import', TSX_LOADER, `${REPO_ROOT}server/src/server.ts`], {
      cwd: directory,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(output).toContain('SYNC_INTERVAL_SECONDS is "1"')
  })

  it('start on the embedded database, not the .env one, when a .env in their working directory names a bogus DATABASE_URL', async () => {
    const server = spawnEntryPoint(
      'server/src/server.ts',
      { DATA_DIR: path.join(directory, 'data'), PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'development', DATABASE_URL: undefined },
      [],
      { cwd: directory },
    )
    try {
      const [, origin] = await server.waitFor(/is running at (http:\/\/[\d.]+:\d+)/, 90_000)
      const health = (await (await fetch(`${origin}/health`)).json()) as { status: string; database: { kind: string } }
      expect(health.database.kind).toBe('embedded')
      expect(server.output()).not.toContain('dotenv-leak')
      expect(server.output()).not.toContain('SYNC_INTERVAL_SECONDS')
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })
})
