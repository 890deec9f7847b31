import type { Pool, PoolClient } from 'pg'

/**
 * Runs `work` in one transaction on one pooled connection. The only place that says BEGIN/COMMIT.
 * Never call a remote system inside `work`: on the embedded database an open transaction stalls
 * every other connection.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
