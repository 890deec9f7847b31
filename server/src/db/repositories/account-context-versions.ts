import type { Pool } from 'pg'

/** The version of what an account's sync context is built from (bumped by migration 025's triggers). */
export function createAccountContextVersions(pool: Pool) {
  return {
    async version(accountId: number): Promise<number> {
      const { rows } = await pool.query<{ version: number }>('SELECT version FROM account_context_versions WHERE zendesk_account_id = $1', [accountId])
      return rows[0]?.version ?? 0
    },
  }
}

export type AccountContextVersions = ReturnType<typeof createAccountContextVersions>
