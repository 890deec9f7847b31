import PgBoss from 'pg-boss'
import type { Database } from '../db/database'

/**
 * pg-boss on the application's own database (its tables live in the `pgboss` schema). It runs over
 * the embedded database's socket too, given enough connections.
 */
export function createJobQueue(database: Database): PgBoss {
  const boss = new PgBoss({
    connectionString: database.url,
    schema: 'pgboss',
    max: Math.max(2, Math.min(10, database.spareConnections)),
    application_name: 'psa-link-jobs',
  })
  return boss
}
