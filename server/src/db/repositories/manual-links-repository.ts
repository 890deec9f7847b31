import type { Pool } from 'pg'
import type { AutotaskSnapshot, SyncedValues } from '../../sync/ports/ticket-link-store'
import { withTransaction } from '../transaction'

export interface ManualLinkTarget {
  zendeskAccountId: number
  zendeskTicketId: number
  connectionId: number
  autotaskTicketId: number
  autotaskTicketNumber: string
  externalId: string
  synced: SyncedValues
  snapshot: AutotaskSnapshot
}

export interface AuditedBy {
  /** The Zendesk user the sidebar's token names (a claim: recorded as claimed, see manual-link.ts). */
  claimedZendeskUserId: number | null
  policy: string
}

export type LinkOutcome = { ok: true; linkId: number } | { ok: false; code: 'autotask_ticket_taken' | 'already_linked' }

/**
 * Links and unlinks made by hand from the sidebar: each change and its audit_log entry in one
 * transaction, so no change happens unaudited.
 */
export function createManualLinksRepository(pool: Pool) {
  return {
    /**
     * Links the ticket to an existing Autotask ticket. A link that no longer syncs (broken, closed,
     * or a create that never happened) is replaced, its note ledger with it: the ledger described
     * the old Autotask ticket. A working link is never replaced: it must be unlinked first.
     */
    async link(target: ManualLinkTarget, by: AuditedBy): Promise<LinkOutcome> {
      return withTransaction(pool, async (db) => {
        const holders = await db.query<{ id: string; zendesk_ticket_id: string; state: string }>(
          'SELECT id, zendesk_ticket_id, state FROM ticket_links WHERE connection_id = $1 AND autotask_ticket_id = $2 AND zendesk_ticket_id <> $3 FOR UPDATE',
          [target.connectionId, target.autotaskTicketId, target.zendeskTicketId],
        )
        if (holders.rows.some((holder) => holder.state !== 'closed')) return { ok: false, code: 'autotask_ticket_taken' }
        // A closed link of another Zendesk ticket no longer syncs: it gives the Autotask ticket up.
        const releasedFrom = holders.rows.map((holder) => Number(holder.zendesk_ticket_id))
        if (holders.rows.length > 0) await db.query('DELETE FROM ticket_links WHERE id = ANY($1::bigint[])', [holders.rows.map((holder) => holder.id)])
        const existing = await db.query<{ id: string; state: string; autotask_ticket_id: string | null; autotask_ticket_number: string | null }>(
          'SELECT id, state, autotask_ticket_id, autotask_ticket_number FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2 FOR UPDATE',
          [target.zendeskAccountId, target.zendeskTicketId],
        )
        const previous = existing.rows[0] ?? null
        if (previous && previous.state === 'linked') return { ok: false, code: 'already_linked' }
        if (previous) await db.query('DELETE FROM ticket_links WHERE id = $1', [previous.id])
        const inserted = await db.query<{ id: string }>(
          `INSERT INTO ticket_links (zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, autotask_ticket_number, external_id,
                                     state, synced, autotask_snapshot, linked_by, last_synced_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'linked', $7, $8, 'agent', now()) RETURNING id`,
          [
            target.zendeskAccountId,
            target.connectionId,
            target.zendeskTicketId,
            target.autotaskTicketId,
            target.autotaskTicketNumber,
            target.externalId,
            JSON.stringify(target.synced),
            JSON.stringify(target.snapshot),
          ],
        )
        await db.query(
          `INSERT INTO ticket_sync_state (zendesk_account_id, zendesk_ticket_id, state, reason, message, candidates, updated_at)
           VALUES ($1, $2, 'linked', NULL, NULL, '[]'::jsonb, now())
           ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE SET state = 'linked', reason = NULL, message = NULL, candidates = '[]'::jsonb, updated_at = now()`,
          [target.zendeskAccountId, target.zendeskTicketId],
        )
        await db.query("INSERT INTO audit_log (zendesk_account_id, admin_user_id, action, details) VALUES ($1, NULL, 'sidebar.ticket_linked', $2)", [
          target.zendeskAccountId,
          JSON.stringify({
            zendeskTicketId: target.zendeskTicketId,
            connectionId: target.connectionId,
            autotaskTicketId: target.autotaskTicketId,
            autotaskTicketNumber: target.autotaskTicketNumber,
            releasedFromZendeskTickets: releasedFrom,
            replaced: previous
              ? {
                  state: previous.state,
                  autotaskTicketId: previous.autotask_ticket_id === null ? null : Number(previous.autotask_ticket_id),
                  autotaskTicketNumber: previous.autotask_ticket_number,
                }
              : null,
            claimedZendeskUserId: by.claimedZendeskUserId,
            policy: by.policy,
          }),
        ])
        return { ok: true, linkId: Number(inserted.rows[0]!.id) }
      })
    },

    /** Closes a working link: nothing more is synced, both tickets are kept. False when there was none. */
    async unlink(zendeskAccountId: number, zendeskTicketId: number, by: AuditedBy): Promise<boolean> {
      return withTransaction(pool, async (db) => {
        const closed = await db.query<{ connection_id: string; autotask_ticket_id: string | null; autotask_ticket_number: string | null }>(
          `UPDATE ticket_links SET state = 'closed', last_error = NULL, updated_at = now()
            WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2 AND state IN ('linked', 'broken')
            RETURNING connection_id, autotask_ticket_id, autotask_ticket_number`,
          [zendeskAccountId, zendeskTicketId],
        )
        const link = closed.rows[0]
        if (!link) return false
        await db.query(
          `UPDATE ticket_sync_state SET state = 'closed', reason = 'unlinked', message = 'Unlinked by hand from the sidebar.', dirty_since = NULL, next_attempt_at = NULL, updated_at = now()
            WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2`,
          [zendeskAccountId, zendeskTicketId],
        )
        await db.query("INSERT INTO audit_log (zendesk_account_id, admin_user_id, action, details) VALUES ($1, NULL, 'sidebar.ticket_unlinked', $2)", [
          zendeskAccountId,
          JSON.stringify({
            zendeskTicketId,
            connectionId: Number(link.connection_id),
            autotaskTicketId: link.autotask_ticket_id === null ? null : Number(link.autotask_ticket_id),
            autotaskTicketNumber: link.autotask_ticket_number,
            claimedZendeskUserId: by.claimedZendeskUserId,
            policy: by.policy,
          }),
        ])
        return true
      })
    },
  }
}

export type ManualLinksRepository = ReturnType<typeof createManualLinksRepository>
