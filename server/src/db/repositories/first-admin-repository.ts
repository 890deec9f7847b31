import type { Pool } from 'pg'
import { withTransaction } from '../transaction'
import { hasRealAccount } from './real-account'

export interface FirstAdmin {
  subdomain: string
  baseUrl: string
  email: string
  passwordHash: string
}

export type FirstAdminOutcome = { created: true; accountId: number; userId: number } | { created: false; reason: 'already_set_up' }

/** A lock id of its own, so two first-admin requests at once cannot both see an empty installation. */
const SETUP_LOCK = 7_320_140_001

/**
 * The first real Zendesk account and its administrator. The sandbox's demo account does not
 * count: an installation is set up once any other account exists.
 */
export function createFirstAdminRepository(pool: Pool) {
  return {
    isSetUp: (): Promise<boolean> => hasRealAccount(pool),

    /** Both rows or neither; refused once the installation is set up. */
    async create(input: FirstAdmin): Promise<FirstAdminOutcome> {
      return withTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK])
        if (await hasRealAccount(client)) return { created: false, reason: 'already_set_up' }
        const account = await client.query<{ id: number }>('INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ($1, $2) RETURNING id', [
          input.subdomain,
          input.baseUrl,
        ])
        const accountId = account.rows[0]!.id
        const user = await client.query<{ id: string }>(
          'INSERT INTO admin_users (zendesk_account_id, connection_id, email, password_hash, must_change_password) VALUES ($1, NULL, $2, $3, false) RETURNING id',
          [accountId, input.email.trim(), input.passwordHash],
        )
        return { created: true, accountId, userId: Number(user.rows[0]!.id) }
      })
    },
  }
}

export type FirstAdminRepository = ReturnType<typeof createFirstAdminRepository>
