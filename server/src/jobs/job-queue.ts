import PgBoss from 'pg-boss'
import type { Database } from '../db/database'

/**
 * pg-boss on the application's own database (its tables live in the `pgboss` schema). On the
 * embedded database it runs its SQL through the application's single connection (see database.ts);
 * on PostgreSQL it keeps a small pool of its own.
 */
export function createJobQueue(database: Database): PgBoss {
  if (database.kind === 'embedded') {
    return new PgBoss({ schema: 'pgboss', db: { executeSql: (text, values) => database.pool.query(text, values) } })
  }
  return new PgBoss({ connectionString: database.url, schema: 'pgboss', max: 10, application_name: 'psa-link-jobs' })
}
