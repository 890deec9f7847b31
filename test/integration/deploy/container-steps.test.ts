import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import type { Database } from '../../../server/src/db/database'
import { cleanCopyOfRepository, linkInstalledPackages, runDockerfile, type DockerfileRun } from '../../helpers/dockerfile-steps'
import { REPO_ROOT } from '../../helpers/spawn-server'
import { createTestDatabase, onRealPostgres } from '../../helpers/test-database'

// No container engine runs on this machine, so the image's steps run here instead: the Dockerfile's
// own COPY, RUN and CMD lines, in order, on a clean copy of the repository (`npm ci` is stood in for
// by links to this checkout's node_modules, see linkInstalledPackages), then the final stage's CMD
// is started as the container would start it and must answer in production mode with no
// TypeScript tooling loaded.
const DOCKERFILE = path.join(REPO_ROOT, 'server/deploy/Dockerfile')
const COMPOSE = path.join(REPO_ROOT, 'server/deploy/compose.yaml')
const MODULE_RECORDER = path.join(REPO_ROOT, 'test/helpers/record-modules.mjs')
/** What a production process must never load: TypeScript tooling, bundlers, the sandbox. */
const TOOLING = /\/node_modules\/(tsx|typescript|esbuild|@esbuild|vite|rolldown|vitest)\/|\/server\/sandbox\/|\.tsx?$/

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (typeof address !== 'object' || !address) throw new Error('no port')
  return address.port
}

/** CPU time (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
  // Fields 14 and 15 of stat (utime, stime), counted here from field 3, after the command name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

async function firstHealthyAnswer(url: string, child: ChildProcess, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering ${url}`)
    const response = await fetch(url).catch(() => null)
    if (response?.ok) return response
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms`)
}

describe.skipIf(!onRealPostgres())('the container image steps (needs DATABASE_URL: a real PostgreSQL)', () => {
  let context: string
  let run: DockerfileRun
  let database: Database
  let server: ChildProcess | undefined
  const secretKey = randomBytes(32).toString('hex')
  const moduleLog = path.join(tmpdir(), `psa-link-modules-${randomBytes(4).toString('hex')}.log`)

  beforeAll(async () => {
    database = await createTestDatabase()
    context = cleanCopyOfRepository(REPO_ROOT)
    run = runDockerfile(readFileSync(DOCKERFILE, 'utf8'), {
      context,
      install: (stageDir) => linkInstalledPackages(REPO_ROOT, stageDir),
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
    })
  }, 600_000)

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL')
    await database?.close()
    for (const dir of [context, ...(run?.stages ?? []).map((stage) => stage.dir)]) if (dir) rmSync(dir, { recursive: true, force: true })
    rmSync(moduleLog, { force: true })
  })

  it('builds with npm ci and npm run build, and installs production dependencies only in the final stage', () => {
    expect(run.log).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run build']))
    expect(run.log.filter((command) => command.startsWith('npm ci')).at(-1)).toMatch(/--omit=dev/)
    const final = run.stages.at(-1)!
    expect(final.env).toMatchObject({ NODE_ENV: 'production' })
    expect(existsSync(path.join(final.dir, 'dist/server/server.js'))).toBe(true)
    expect(existsSync(path.join(final.dir, 'dist/server/migrations/001_initial.sql'))).toBe(true)
    expect(existsSync(path.join(final.dir, 'dist/admin-ui/index.html'))).toBe(true)
    // No sources in the final image: the server runs from the build alone.
    expect(existsSync(path.join(final.dir, 'server/src'))).toBe(false)
    expect(run.cmd[0]).toBe('node')
  })

  /** Starts the final stage's CMD as the container would, on the test's database and a free loopback port. */
  async function startCmd(extraEnv: Record<string, string> = {}) {
    const final = run.stages.at(-1)!
    const port = await freePort()
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      ...final.env,
      // Loopback only in tests; the image listens on 0.0.0.0.
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: 'https://psa-link.example.com',
      DATABASE_URL: database.url,
      PSA_LINK_SECRET_KEY: secretKey,
      ...extraEnv,
    }
    const [command, ...args] = run.cmd
    const startedAt = performance.now()
    const child = spawn(command!, args, { cwd: final.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    server = child
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const health = await firstHealthyAnswer(`http://127.0.0.1:${port}/health`, child, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`)
    })
    const secondsToHealth = (performance.now() - startedAt) / 1000
    const cpuSeconds = cpuSecondsOf(child.pid!)
    const stop = async () => {
      child.kill('SIGTERM')
      const code = await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(child.exitCode)))
      return { code, output }
    }
    return { child, port, env, args, final, health, secondsToHealth, cpuSeconds, stop }
  }

  it('answers /health within 3 s of CPU in production mode, runs exactly its CMD, passes its HEALTHCHECK and stops cleanly on SIGTERM', async () => {
    const started = await startCmd()
    const { child, port, env, args, final, health, secondsToHealth, cpuSeconds } = started
    console.log(`container CMD answered /health ${secondsToHealth.toFixed(2)} s after start, having used ${cpuSeconds.toFixed(2)} s of CPU`)
    expect(await health.json()).toMatchObject({ status: 'ok', database: { kind: 'postgres', reachable: true } })
    // On an idle machine the time to the first answer is the CPU the start-up needs (plus a few
    // database round trips); on a shared machine the wall clock measures the neighbours too.
    expect(cpuSeconds).toBeLessThan(3)

    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/admin/`)).headers.get('content-type')).toMatch(/text\/html/)
    execFileSync(run.healthcheck[0]!, run.healthcheck.slice(1), { cwd: final.dir, env, timeout: 10_000 })

    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
    expect(argv.slice(1)).toEqual(args)
    expect(readFileSync(`/proc/${child.pid}/maps`, 'utf8')).not.toMatch(/tsx|typescript|esbuild/)

    const { code, output } = await started.stop()
    expect(code).toBe(0)
    expect(output).toContain('stopped cleanly')
  }, 120_000)

  it('loads no TypeScript tooling, bundler or sandbox module when it runs', async () => {
    // A second start: the recorder (a module hook) costs start-up time of its own.
    const started = await startCmd({ NODE_OPTIONS: `--import ${MODULE_RECORDER}`, PSA_LINK_MODULE_LOG: moduleLog })
    expect((await fetch(`http://127.0.0.1:${started.port}/health/ready`)).status).toBe(200)
    const modules = readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean)
    expect(modules).toContain(`file://${started.final.dir}/dist/server/server.js`)
    expect(modules.filter((url) => url.includes('/node_modules/fastify/'))).not.toEqual([])
    expect(modules.filter((url) => TOOLING.test(url.replace(/^file:\/\//, '')))).toEqual([])
    expect((await started.stop()).code).toBe(0)
  }, 120_000)
})

describe('the compose file', () => {
  it('runs the image from the repository root with PostgreSQL on a named volume, DATABASE_URL wired and the secrets from the environment', () => {
    const compose = parse(readFileSync(COMPOSE, 'utf8')) as {
      services: Record<string, { build?: { context: string; dockerfile: string }; environment?: Record<string, string>; volumes?: string[]; image?: string }>
      volumes: Record<string, unknown>
    }
    const app = compose.services['psa-link']!
    const postgres = compose.services['postgres']!
    expect(path.resolve(path.dirname(COMPOSE), app.build!.context)).toBe(path.resolve(REPO_ROOT))
    expect(existsSync(path.join(REPO_ROOT, app.build!.dockerfile))).toBe(true)
    expect(app.environment).toMatchObject({ NODE_ENV: 'production' })
    expect(app.environment!['DATABASE_URL']).toMatch(/^postgres:\/\/psa_link:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/psa_link$/)
    expect(app.environment!['PUBLIC_URL']).toMatch(/^\$\{PUBLIC_URL:\?/)
    expect(app.environment!['PSA_LINK_SECRET_KEY']).toMatch(/^\$\{PSA_LINK_SECRET_KEY:\?/)
    const [volume] = (postgres.volumes ?? [])[0]!.split(':')
    expect(Object.keys(compose.volumes)).toContain(volume)
  })
})
