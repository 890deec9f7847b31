import type { Pool } from 'pg'
import type { TicketStateStore } from '../../sync/ports/ticket-state-store'

/** Per-ticket state, the dirty list and the lease (a row claimed by UPDATE … WHERE expired RETURNING). */
export function createTicketStateRepository(pool: Pool): TicketStateStore {
  /**
   * A hold's states in one statement (arrays in, unnest): one autocommit per hold instead of two
   * per ticket. Dirty: a retry time puts (or keeps) the ticket on the list; only a complete pass
   * takes it off. Tickets that ended linked or not eligible have their open problems resolved in
   * the same statement.
   */
  async function setTicketStates(accountId: number, updates: Parameters<TicketStateStore['setTicketStates']>[1], releaseOwner?: string): Promise<void> {
    if (updates.length === 0) return
    await pool.query(
      `WITH input AS (
         SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::int[], $8::timestamptz[], $9::boolean[], $10::text[], $11::boolean[])
                    AS t(ticket_id, state, message, cluster_id, candidates, waiting_notes, retry_at, complete, reason, resolve)
       ), saved AS (
         INSERT INTO ticket_sync_state AS s (zendesk_account_id, zendesk_ticket_id, state, message, cluster_id, candidates,
                                             waiting_notes, dirty_since, next_attempt_at, reason, updated_at)
         SELECT $1, i.ticket_id, i.state, i.message, i.cluster_id, i.candidates, i.waiting_notes,
                CASE WHEN i.retry_at IS NULL THEN NULL ELSE now() END, i.retry_at, i.reason, now()
           FROM input i
         ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE SET
           state = EXCLUDED.state, message = EXCLUDED.message, cluster_id = EXCLUDED.cluster_id,
           candidates = EXCLUDED.candidates, waiting_notes = EXCLUDED.waiting_notes,
           -- A pass that finds the same state without saying why keeps the cause recorded before.
           reason = coalesce(EXCLUDED.reason, CASE WHEN EXCLUDED.state = s.state THEN s.reason END),
           dirty_since = CASE WHEN EXCLUDED.next_attempt_at IS NOT NULL THEN coalesce(s.dirty_since, now())
                              WHEN (SELECT i.complete FROM input i WHERE i.ticket_id = EXCLUDED.zendesk_ticket_id) THEN NULL ELSE s.dirty_since END,
           next_attempt_at = CASE WHEN EXCLUDED.next_attempt_at IS NOT NULL THEN
                                    CASE WHEN (SELECT i.complete FROM input i WHERE i.ticket_id = EXCLUDED.zendesk_ticket_id) THEN EXCLUDED.next_attempt_at
                                         ELSE least(coalesce(s.next_attempt_at, EXCLUDED.next_attempt_at), EXCLUDED.next_attempt_at) END
                                  WHEN (SELECT i.complete FROM input i WHERE i.ticket_id = EXCLUDED.zendesk_ticket_id) THEN NULL ELSE s.next_attempt_at END,
           updated_at = now(),
           -- Only the releasing owner's lease: one that expired and was claimed by another worker stays.
           lease_owner = CASE WHEN s.lease_owner = $12::text THEN NULL ELSE s.lease_owner END,
           lease_expires_at = CASE WHEN s.lease_owner = $12::text THEN NULL ELSE s.lease_expires_at END
       )
       UPDATE sync_problems SET state = 'resolved', next_retry_at = NULL, last_seen_at = now()
        WHERE zendesk_account_id = $1 AND state IN ('open', 'retrying')
          AND zendesk_ticket_id IN (SELECT ticket_id FROM input WHERE resolve)`,
      [
        accountId,
        updates.map((update) => update.ticketId),
        updates.map((update) => update.state),
        updates.map((update) => update.message),
        updates.map((update) => update.clusterId),
        updates.map((update) => JSON.stringify(update.candidates ?? [])),
        updates.map((update) => update.waitingNotes ?? 0),
        updates.map((update) => update.retryAt),
        updates.map((update) => update.complete),
        updates.map((update) => update.reason ?? null),
        updates.map((update) => update.resolveProblems ?? false),
        releaseOwner ?? null,
      ],
    )
  }

  return {
    async claimTickets(accountId, ticketIds, owner, leaseSeconds) {
      if (ticketIds.length === 0) return []
      // One statement: a ticket without a row is inserted already claimed; an existing row is
      // claimed when its lease is free or expired (the condition is checked on the row as locked,
      // so two workers can never both win a ticket). In ticket order, so two claims cannot deadlock.
      const { rows } = await pool.query<{ zendesk_ticket_id: number }>(
        `INSERT INTO ticket_sync_state AS s (zendesk_account_id, zendesk_ticket_id, lease_owner, lease_expires_at, last_attempt_at)
         SELECT $1, id, $3, now() + make_interval(secs => $4), now() FROM (SELECT DISTINCT unnest($2::bigint[]) AS id) ids ORDER BY id
         ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE
            SET lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at, last_attempt_at = excluded.last_attempt_at
          WHERE s.lease_owner IS NULL OR s.lease_expires_at < now() OR s.lease_owner = $3
        RETURNING s.zendesk_ticket_id`,
        [accountId, ticketIds, owner, leaseSeconds],
      )
      return rows.map((row) => row.zendesk_ticket_id)
    },

    async holdsLeases(accountId, ticketIds, owner, marginSeconds) {
      if (ticketIds.length === 0) return true
      const { rows } = await pool.query<{ held: number }>(
        `SELECT count(*)::int AS held FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2::bigint[])
            AND lease_owner = $3 AND lease_expires_at > now() + make_interval(secs => $4)`,
        [accountId, ticketIds, owner, marginSeconds],
      )
      return rows[0]?.held === new Set(ticketIds).size
    },

    async releaseTickets(accountId, ticketIds, owner) {
      if (ticketIds.length === 0) return
      await pool.query(
        `UPDATE ticket_sync_state SET lease_owner = NULL, lease_expires_at = NULL
          WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2::bigint[]) AND lease_owner = $3`,
        [accountId, ticketIds, owner],
      )
    },

    async isTicketFree(accountId, ticketId) {
      const { rows } = await pool.query(
        `SELECT 1 FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2 AND lease_owner IS NOT NULL AND lease_expires_at >= now()`,
        [accountId, ticketId],
      )
      return rows.length === 0
    },

    async renewLeases(accountId, owner, leaseSeconds) {
      await pool.query(
        `UPDATE ticket_sync_state SET lease_expires_at = now() + make_interval(secs => $3)
          WHERE zendesk_account_id = $1 AND lease_owner = $2`,
        [accountId, owner, leaseSeconds],
      )
      await pool.query(`UPDATE zendesk_accounts SET cycle_expires_at = now() + make_interval(secs => $3) WHERE id = $1 AND cycle_owner = $2`, [
        accountId,
        owner,
        leaseSeconds,
      ])
    },

    async claimCycle(accountId, owner, leaseSeconds) {
      const { rowCount } = await pool.query(
        `UPDATE zendesk_accounts SET cycle_owner = $2, cycle_expires_at = now() + make_interval(secs => $3)
          WHERE id = $1 AND (cycle_owner IS NULL OR cycle_expires_at < now() OR cycle_owner = $2)`,
        [accountId, owner, leaseSeconds],
      )
      return rowCount === 1
    },

    async releaseCycle(accountId, owner) {
      await pool.query('UPDATE zendesk_accounts SET cycle_owner = NULL, cycle_expires_at = NULL WHERE id = $1 AND cycle_owner = $2', [accountId, owner])
    },

    async setTicketState(accountId, ticketId, update) {
      await setTicketStates(accountId, [{ ticketId, ...update }])
    },

    setTicketStates,

    async dueDirtyTickets(accountId, limit) {
      const { rows } = await pool.query<{ zendesk_ticket_id: number }>(
        `SELECT zendesk_ticket_id FROM ticket_sync_state
          WHERE zendesk_account_id = $1 AND dirty_since IS NOT NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at, zendesk_ticket_id LIMIT $2`,
        [accountId, limit],
      )
      return rows.map((row) => row.zendesk_ticket_id)
    },

    async markDirty(accountId, ticketIds, retryAt) {
      if (ticketIds.length === 0) return
      await pool.query(
        `INSERT INTO ticket_sync_state (zendesk_account_id, zendesk_ticket_id, dirty_since, next_attempt_at)
         SELECT $1, unnest($2::bigint[]), now(), $3
         ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE SET
           dirty_since = coalesce(ticket_sync_state.dirty_since, now()),
           next_attempt_at = least(coalesce(ticket_sync_state.next_attempt_at, EXCLUDED.next_attempt_at), EXCLUDED.next_attempt_at)`,
        [accountId, ticketIds, retryAt],
      )
    },
  }
}
