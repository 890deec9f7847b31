import pg from 'pg'
import { connect, type Database } from '../../server/src/db/database'
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres'

// Always the embedded database, whatever DATABASE_URL says: this is a property of PGlite + its
// socket server. The application uses one connection to it; these tests open several on purpose.
let database: Database
const openClient = async () => {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  return client
}
beforeAll(async () => {
  const embedded = await startEmbeddedPostgres()
  database = await connect(embedded.url, 'embedded', embedded.stop)
  await database.pool.query('CREATE TABLE notes (id serial PRIMARY KEY, owner text NOT NULL)')
})
afterAll(async () => {
  await database.close()
})

describe('embedded PostgreSQL', () => {
  it('keeps two concurrent transactions from seeing or undoing each other', async () => {
    const a = await openClient()
    const b = await openClient()
    try {
      await a.query('BEGIN')
      await a.query("INSERT INTO notes (owner) VALUES ('a')")
      // b starts while a is open: the socket server holds b until a ends, so b never sees a's
      // uncommitted row, and b's own work is not swept into a's rollback.
      const bWork = (async () => {
        await b.query('BEGIN')
        await b.query("INSERT INTO notes (owner) VALUES ('b')")
        const seen = await b.query('SELECT owner FROM notes ORDER BY owner')
        await b.query('COMMIT')
        return seen.rows.map((row) => row.owner as string)
      })()
      const seenByA = await a.query('SELECT owner FROM notes ORDER BY owner')
      await a.query('ROLLBACK')
      const seenByB = await bWork
      expect(seenByA.rows.map((row) => row.owner)).toEqual(['a'])
      expect(seenByB).toEqual(['b'])
      const after = await database.pool.query('SELECT owner FROM notes ORDER BY owner')
      expect(after.rows.map((row) => row.owner)).toEqual(['b'])
    } finally {
      await a.end()
      await b.end()
    }
  })

  it('commits each of many concurrent transactions exactly once', async () => {
    await database.pool.query('TRUNCATE notes')
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (async () => {
          const client = await openClient()
          try {
            await client.query('BEGIN')
            await client.query('INSERT INTO notes (owner) VALUES ($1)', [`w${index}`])
            if (index % 2 === 0) await client.query('ROLLBACK')
            else await client.query('COMMIT')
          } finally {
            await client.end()
          }
        })(),
      ),
    )
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM notes')
    expect(rows[0].n).toBe(10)
  })
})
