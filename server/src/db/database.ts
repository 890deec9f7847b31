import path from 'node:path'
import pg from 'pg'
import type { Config } from '../config'
import { ensurePrivateDir } from '../security/private-files'
import { startEmbeddedPostgres } from './embedded-postgres'

export type DatabaseKind = 'postgres' | 'embedded'

export interface Database {
  pool: pg.Pool
  kind: DatabaseKind
  /** The pool's size (pg-boss sizes its own pool from it). */
  poolSize?: number
  /** A connection string for other clients of the same database (pg-boss). */
  url: string
  close(): Promise<void>
}

// Postgres returns int8 (bigint, bigserial, count(*)) as strings because they can exceed 2^53.
// Every id here is far below that (Zendesk and Autotask ids are 53-bit safe), so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`int8 value ${value} is beyond 2^53`)
  return parsed
})

/** DATABASE_POOL_SIZE's default (config.ts); README explains the connections a process opens. */
const POOL_SIZE = 10
/**
 * One connection to the embedded database: pglite-socket multiplexes connections message by
 * message outside transactions, so two connections running parameterised queries at once can
 * bind each other's statements ("bind message supplies 3 parameters, but prepared statement
 * requires 2"). With one connection (pg-boss shares it) nothing interleaves.
 */
const EMBEDDED_POOL_SIZE = 1

/** Opens `DATABASE_URL`, or the embedded PostgreSQL with its data in `DATA_DIR/pg` when that is unset. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'> & Partial<Pick<Config, 'DATABASE_POOL_SIZE'>>): Promise<Database> {
  if (config.DATABASE_URL) return connect(config.DATABASE_URL, 'postgres', async () => undefined, config.DATABASE_POOL_SIZE)
  await ensurePrivateDir(path.resolve(config.DATA_DIR))
  const embedded = await startEmbeddedPostgres(path.resolve(config.DATA_DIR, 'pg'))
  return connect(embedded.url, 'embedded', embedded.stop)
}

/** Connects a pool to `url`; `closeServer` runs after the pool has ended. */
export async function connect(url: string, kind: DatabaseKind, closeServer: () => Promise<void>, poolSize = POOL_SIZE): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: kind === 'embedded' ? EMBEDDED_POOL_SIZE : poolSize, application_name: 'psa-link' })
  // An idle client that loses its server (restart, network) emits here; without a listener
  // the process would crash. The pool replaces the client on next use.
  pool.on('error', () => undefined)
  try {
    await pool.query('SELECT 1')
  } catch (error) {
    await pool.end().catch(() => undefined)
    await closeServer()
    throw error
  }
  let closed: Promise<void> | undefined
  return {
    pool,
    kind,
    poolSize: kind === 'embedded' ? EMBEDDED_POOL_SIZE : poolSize,
    url,
    close() {
      closed ??= pool.end().then(closeServer)
      return closed
    },
  }
}

/** The server's version, as health reports it; throws when the database does not answer. */
export async function serverVersion(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version')
  return rows[0]?.server_version
}
