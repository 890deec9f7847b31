import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { connect, type Database } from '../../server/src/db/database'
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres'

/**
 * A database of the test file's own: a fresh database on the server at DATABASE_URL when it is set
 * (CI: the machine's PostgreSQL), else an in-memory embedded PostgreSQL. Either way no two test
 * files ever share tables, so they can run in parallel.
 */
export async function createTestDatabase(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres()
    return connect(embedded.url, 'embedded', embedded.stop)
  }
  const name = `psa_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return connect(url.toString(), 'postgres', () =>
    withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  )
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** True when the tests run on a real PostgreSQL server (where concurrency and crash tests belong). */
export const onRealPostgres = (): boolean => Boolean(process.env.DATABASE_URL)
