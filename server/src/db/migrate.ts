import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Pool } from 'pg'
import { withTransaction } from './transaction'

// Beside this module: server/src/db/migrations/ in development; the production build copies them to
// dist/server/migrations/, beside the bundles this module is compiled into.
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
// Any fixed number: every instance takes the same transaction-scoped lock, so two backends
// starting together apply each migration once.
const MIGRATION_LOCK_KEY = 727_001

export interface MigrationResult {
  applied: string[]
  alreadyApplied: string[]
}

/** Names of the migration files not yet recorded in `schema_migrations` (all of them on an empty database). */
export async function pendingMigrations(pool: Pool, directory = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(directory)
  const applied = new Set(await appliedMigrationNames(pool))
  return files.filter((name) => !applied.has(name))
}

async function appliedMigrationNames(pool: Pool): Promise<string[]> {
  try {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations')
    return rows.map((row) => row.name)
  } catch (error) {
    // 42P01 undefined_table: nothing was ever applied to this database.
    if ((error as { code?: string }).code === '42P01') return []
    throw error
  }
}

async function migrationFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => /^\d{3}_[\w-]+\.sql$/.test(name)).sort()
}

/** Applies every `NNN_name.sql` not yet recorded in `schema_migrations`, in name order, each in its own transaction. */
export async function migrate(pool: Pool, directory = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await migrationFiles(directory)
  const result: MigrationResult = { applied: [], alreadyApplied: [] }
  for (const name of files) {
    const sql = await readFile(`${directory}${name}`, 'utf8')
    const applied = await withTransaction(pool, async (client) => {
      // Under the lock: even CREATE TABLE IF NOT EXISTS races when two instances run it at once.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name])
      if (done.rowCount) return false
      await client.query(sql)
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name])
      return true
    })
    ;(applied ? result.applied : result.alreadyApplied).push(name)
  }
  return result
}
