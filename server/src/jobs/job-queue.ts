import PgBoss from 'pg-boss'
import type { Database } from '../db/database'

/**
 * pg-boss on the application's own database (its tables live in the `pgboss` schema). On the
 * embedded database it runs its SQL through the application's single connection (see database.ts);
 * on PostgreSQL it keeps a pool of its own, half the application's (README: DATABASE_POOL_SIZE):
 * its workers fetch and complete one job at a time each, and the rest of its work is maintenance.
 */
export function createJobQueue(database: Database): PgBoss {
  if (database.kind === 'embedded') {
    return new PgBoss({ schema: 'pgboss', db: { executeSql: (text, values) => database.pool.query(text, values) } })
  }
  const max = Math.max(2, Math.ceil((database.poolSize ?? 10) / 2))
  return new PgBoss({ connectionString: database.url, schema: 'pgboss', max, application_name: 'psa-link-jobs' })
}
