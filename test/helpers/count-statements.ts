import type pg from 'pg'

/**
 * Counts the SQL statements PSA Link sends through `pool.query` while `work` runs (pg-boss's own
 * polling left out). The engine's repositories use pool.query only, one autocommit per statement:
 * the number its per-page batching is meant to keep low.
 */
export async function countStatements<T>(pool: pg.Pool, work: () => Promise<T>): Promise<{ result: T; statements: number; texts: string[] }> {
  const texts: string[] = []
  const original = pool.query
  const patched = function (this: pg.Pool, ...args: unknown[]) {
    const query = args[0]
    const text = typeof query === 'string' ? query : ((query as { text?: string } | null)?.text ?? '')
    if (!/pgboss/i.test(text)) texts.push(text.replace(/\s+/g, ' ').trim().slice(0, 60))
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  }
  ;(pool as unknown as { query: unknown }).query = patched
  try {
    const result = await work()
    return { result, statements: texts.length, texts }
  } finally {
    ;(pool as unknown as { query: unknown }).query = original
  }
}
