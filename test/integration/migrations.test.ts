import type { Database } from '../../server/src/db/database'
import { migrate } from '../../server/src/db/migrate'
import { createTestDatabase } from '../helpers/test-database'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
})

describe('migrate', () => {
  it('applies every migration once and nothing on a second run', async () => {
    const first = await migrate(database.pool)
    expect(first.applied).toContain('001_initial.sql')
    const second = await migrate(database.pool)
    expect(second.applied).toEqual([])
    expect(second.alreadyApplied).toEqual(first.applied)
  })

  it('applies each migration once when two instances migrate at the same time', async () => {
    const fresh = await createTestDatabase()
    try {
      const [a, b] = await Promise.all([migrate(fresh.pool), migrate(fresh.pool)])
      expect([...a.applied, ...b.applied].sort()).toEqual([...a.applied, ...a.alreadyApplied].sort())
      const { rows } = await fresh.pool.query('SELECT count(*)::int AS n FROM schema_migrations')
      expect(rows[0].n).toBe(a.applied.length + a.alreadyApplied.length)
    } finally {
      await fresh.close()
    }
  })

  it('gives every table its tenant: the Zendesk account, or the account’s Autotask connection or admin user', async () => {
    const { rows } = await database.pool.query<{ table_name: string; tenant: string | null }>(
      `SELECT t.table_name,
              (SELECT c.column_name FROM information_schema.columns c
                WHERE c.table_schema = 'public' AND c.table_name = t.table_name
                  AND c.column_name IN ('zendesk_account_id', 'connection_id', 'admin_user_id')
                ORDER BY c.column_name DESC LIMIT 1) AS tenant
         FROM information_schema.tables t
        WHERE t.table_schema = 'public' AND t.table_name NOT IN ('schema_migrations', 'zendesk_accounts')
        ORDER BY t.table_name`,
    )
    expect(rows.filter((row) => row.tenant === null).map((row) => row.table_name)).toEqual([])
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'admin_users',
        'audit_log',
        'autotask_connections',
        'cluster_routes',
        'comment_links',
        'sync_problems',
        'sync_runs',
        'ticket_links',
        'ticket_sync_state',
      ]),
    )
  })
})
