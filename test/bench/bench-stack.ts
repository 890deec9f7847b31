import { readFileSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import { buildServer } from '../../server/scripts/build-server'
import { hashPassword } from '../../server/src/admin/passwords'
import { connect, type Database } from '../../server/src/db/database'
import { startRemoteSandbox, type RemoteSandbox } from '../helpers/remote-sandbox'
import { backendEnv, recordRemoteTenant } from '../helpers/remote-tenant'
import { spawnEntryPoint, type SpawnedProcess } from '../helpers/spawn-server'
import { adminClient, type AdminClient } from '../integration/admin/admin-client'

/**
 * The product alone, as it runs for a customer: the emulators in a process of their own (`npm run
 * sandbox`), the backend spawned as its own process (`server/src/server.ts`) on a real PostgreSQL
 * (DATABASE_URL, else the machine's 127.0.0.1:5432 as postgres), in a database of its own that is
 * dropped at the end. The backend is the build (`npm run build`'s dist/server/server.js on node
 * alone, as production runs it; built once per benchmark) unless BENCH_BACKEND=source runs the
 * TypeScript through tsx (whose loader costs memory of its own). The benchmark reads the backend's
 * memory and CPU from /proc, never its own.
 */
export const ROUTABLE = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006']
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const ADMIN = { email: 'bench-admin@example.test', password: 'bench correct horse battery' }

/** The backend's own figures from /proc/<pid>/status and /proc/<pid>/stat. */
export interface ProcessReading {
  peakRssMb: number
  rssMb: number
  cpuSeconds: number
}

const CLOCK_TICKS = 100

export function readProcess(pid: number): ProcessReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024), cpuSeconds: ticks / CLOCK_TICKS }
}

/** Starts VmHWM afresh (Linux: writing 5 to clear_refs), so a phase's peak is its own. False when refused. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A fresh database `name` on the real PostgreSQL, dropped when closed. */
export async function createBenchDatabase(name: string): Promise<Database> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`)
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  await admin((client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  return connect(url.toString(), 'postgres', () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined))
}

export interface BenchStack {
  sandbox: RemoteSandbox
  database: Database
  backend: SpawnedProcess
  pid: number
  origin: string
  /** Every backend process on the database (the first is `backend`), with its origin. */
  backends: Array<{ process: SpawnedProcess; origin: string }>
  accountId: number
  connectionId: number
  admin: AdminClient
  zendeskControl<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
  close(): Promise<void>
}

let built: Promise<void> | undefined

/** The backend's entry point: the build (made once per benchmark process) or the source. */
async function backendEntry(): Promise<string> {
  if (process.env.BENCH_BACKEND === 'source') return 'server/src/server.ts'
  built ??= buildServer()
  await built
  return 'dist/server/server.js'
}

/**
 * Node options for the backend alone, e.g. BENCH_BACKEND_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
 * (Node refuses --cpu-prof in NODE_OPTIONS, which would also reach the emulators and the harness).
 */
function backendNodeArgs(): string[] {
  return (process.env.BENCH_BACKEND_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '')
}

export interface BenchStackOptions {
  transport: 'soap' | 'rest'
  database: string
  /** Seeds the sandbox before the backend starts (so no scheduled cycle sees a half-made history). */
  seed(sandbox: RemoteSandbox): Promise<void>
  /** Extra environment for the backend. */
  env?: Record<string, string | undefined>
  /** Backend processes on the one database (1): more are the same product started again, as a second instance is. */
  backends?: number
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const sandbox = await startRemoteSandbox()
  const zendeskControl = <T>(method: string, path: string, body?: unknown) => sandbox.zendesk<T>(method, `/_control${path}`, body)
  let database: Database | undefined
  let backend: SpawnedProcess | undefined
  const backends: BenchStack['backends'] = []
  try {
    await options.seed(sandbox)
    database = await createBenchDatabase(options.database)
    const tenant = await recordRemoteTenant(database, sandbox)
    // History belongs to the admin's backfill: scheduled cycles start from now.
    await database.pool.query('UPDATE zendesk_accounts SET export_start_time = $1 WHERE id = $2', [Math.floor(Date.now() / 1000), tenant.accountId])
    await database.pool.query('UPDATE autotask_connections SET transport = $1, updated_at = now() WHERE id = $2', [options.transport, tenant.connectionId])
    await database.pool.query(
      'INSERT INTO admin_users (zendesk_account_id, connection_id, email, password_hash, must_change_password) VALUES ($1, NULL, $2, $3, false)',
      [tenant.accountId, ADMIN.email, await hashPassword(ADMIN.password)],
    )
    const entry = await backendEntry()
    const spawnBackend = () =>
      spawnEntryPoint(
        entry,
        {
          ...backendEnv(database!, {
            // One scheduled cycle at start, then none: the benchmark asks for the cycle it measures.
            SYNC_INTERVAL_SECONDS: '86400',
            // The benchmark may spend Autotask's whole hourly budget (REST writes one entity per call).
            AUTOTASK_BUDGET_SHARE: '1',
          }),
          // The product's default lease, not the crash tests' 4 seconds.
          SYNC_LEASE_SECONDS: undefined,
          ...options.env,
        },
        backendNodeArgs(),
      )
    backend = spawnBackend()
    const [, origin] = await backend.waitFor(/is running at (http:\/\/[^\s"]+)/, 120_000)
    backends.push({ process: backend, origin: origin! })
    for (let index = 1; index < (options.backends ?? 1); index += 1) {
      const more = spawnBackend()
      backends.push({ process: more, origin: '' })
      const [, moreOrigin] = await more.waitFor(/is running at (http:\/\/[^\s"]+)/, 120_000)
      backends[index]!.origin = moreOrigin!
    }
    const client = adminClient(origin!.replace(/\/$/, ''))
    const signIn = await client.signIn(ADMIN.email, ADMIN.password)
    if (signIn.status !== 200) throw new Error(`bench admin sign-in failed: ${JSON.stringify(signIn.body)}`)
    const stack: BenchStack = {
      sandbox,
      database,
      backend,
      pid: backend.child.pid!,
      origin: origin!,
      backends,
      accountId: tenant.accountId,
      connectionId: tenant.connectionId,
      admin: client,
      zendeskControl,
      async close() {
        for (const { process } of backends) process.child.kill('SIGINT')
        for (const { process } of backends) await process.exited
        await database!.close()
        await sandbox.stop()
      },
    }
    await settled(stack)
    return stack
  } catch (error) {
    if (backend && !backends.some((entry) => entry.process === backend)) backends.push({ process: backend, origin: '' })
    for (const { process } of backends) process.child.kill('SIGKILL')
    for (const { process } of backends) await process.exited
    await database?.close()
    await sandbox.stop()
    throw error
  }
}

/** Waits until no cycle, ticket sync or backfill of the account is running (the one at start included). */
export async function settled(stack: Pick<BenchStack, 'database'>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { rows } = await stack.database.pool.query<{ runs: number; cycles: number }>(
      "SELECT count(*) FILTER (WHERE status = 'running')::int AS runs, count(*) FILTER (WHERE kind = 'cycle')::int AS cycles FROM sync_runs",
    )
    if (rows[0]!.runs === 0 && rows[0]!.cycles > 0) return
    if (Date.now() > deadline) throw new Error(`the backend did not settle: ${JSON.stringify(rows[0])}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
