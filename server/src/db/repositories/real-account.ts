import type { Pool, PoolClient } from 'pg'

/**
 * Whether any Zendesk account other than the sandbox's demo account exists: the installation is set
 * up, and the sandbox is no longer mounted by default. A client inside a transaction may ask too.
 */
export async function hasRealAccount(db: Pool | PoolClient): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM zendesk_accounts WHERE NOT sandbox LIMIT 1')
  return rows.length > 0
}
