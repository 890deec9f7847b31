import type { Pool } from 'pg'
import type { SealedCell, SecretBox } from '../../security/secret-box'

/** Every column that holds a sealed secret, by table: each value opens only in its own cell. */
export const SEALED_COLUMNS = {
  zendesk_accounts: [
    'oauth_client_secret_enc',
    'oauth_access_token_enc',
    'oauth_refresh_token_enc',
    'api_token_enc',
    'app_shared_secret_enc',
    'webhook_secret_enc',
  ],
  autotask_connections: ['secret_enc', 'integration_code_enc'],
} as const

export type SealedTable = keyof typeof SEALED_COLUMNS
export type SealedColumn<T extends SealedTable> = (typeof SEALED_COLUMNS)[T][number]

export function sealedCell<T extends SealedTable>(table: T, column: SealedColumn<T>, id: number | string): SealedCell {
  return { table, column, id }
}

/** The next id of `table`, taken before an insert so its secrets can be sealed for their row. */
export async function nextRowId(pool: Pool, table: SealedTable): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence($1, 'id'))::text AS id`, [table])
  return Number(rows[0]!.id)
}

/**
 * Re-seals values written before secrets were bound to their cell (`v1`), at start-up: afterwards
 * no value in the database opens anywhere but in its own row and column. A value changed by
 * another instance meanwhile is left for the next start (the update matches the old value only).
 */
export function createSealedSecretsRepository(pool: Pool, box: SecretBox) {
  return {
    async resealLegacyValues(): Promise<number> {
      let resealed = 0
      for (const [table, columns] of Object.entries(SEALED_COLUMNS) as [SealedTable, readonly string[]][]) {
        for (const column of columns) {
          const { rows } = await pool.query<{ id: string; value: string }>(
            `SELECT id::text AS id, ${column} AS value FROM ${table} WHERE ${column} LIKE 'v1.%'`,
          )
          for (const row of rows) {
            const cell = { table, column, id: row.id }
            const value = box.seal(box.open(row.value, cell), cell)
            const result = await pool.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1 AND ${column} = $3`, [row.id, value, row.value])
            resealed += result.rowCount ?? 0
          }
        }
      }
      return resealed
    },
  }
}
