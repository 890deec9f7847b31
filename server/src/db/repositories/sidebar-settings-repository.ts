import type { Pool } from 'pg'
import type { ManualLinkPolicy } from '@psa-link/shared'

/** The sidebar's per-account settings the admin console changes (zendesk_accounts, migration 013). */
export function createSidebarSettingsRepository(pool: Pool) {
  return {
    async manualLinkPolicy(accountId: number): Promise<ManualLinkPolicy> {
      const { rows } = await pool.query<{ sidebar_manual_link: ManualLinkPolicy }>('SELECT sidebar_manual_link FROM zendesk_accounts WHERE id = $1', [
        accountId,
      ])
      return rows[0]?.sidebar_manual_link ?? 'off'
    },

    /** The policy before the change (for the audit line), or null when the account does not exist. */
    async saveManualLinkPolicy(accountId: number, policy: ManualLinkPolicy): Promise<ManualLinkPolicy | null> {
      const { rows } = await pool.query<{ before: ManualLinkPolicy }>(
        `UPDATE zendesk_accounts a SET sidebar_manual_link = $2, updated_at = now()
           FROM (SELECT id, sidebar_manual_link AS before FROM zendesk_accounts WHERE id = $1 FOR UPDATE) old
          WHERE a.id = old.id
        RETURNING old.before`,
        [accountId, policy],
      )
      return rows[0]?.before ?? null
    },
  }
}
