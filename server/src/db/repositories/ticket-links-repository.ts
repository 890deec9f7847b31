import type { Pool } from 'pg'
import type { TicketLink, TicketLinkStore } from '../../sync/ports/ticket-link-store'

interface TicketLinkRow {
  id: number
  zendesk_account_id: number
  connection_id: number
  zendesk_ticket_id: number
  autotask_ticket_id: number | null
  autotask_ticket_number: string | null
  external_id: string
  state: TicketLink['state']
  synced: TicketLink['synced']
  last_synced_at: Date | null
  zendesk_shown: TicketLink['shownInZendesk']
  zendesk_written_at: Date | null
}

const COLUMNS = `id, zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, autotask_ticket_number,
                 external_id, state, synced, last_synced_at, zendesk_shown, zendesk_written_at`

function toLink(row: TicketLinkRow): TicketLink {
  return {
    id: row.id,
    zendeskAccountId: row.zendesk_account_id,
    connectionId: row.connection_id,
    zendeskTicketId: row.zendesk_ticket_id,
    autotaskTicketId: row.autotask_ticket_id,
    autotaskTicketNumber: row.autotask_ticket_number,
    externalId: row.external_id,
    state: row.state,
    synced: row.synced,
    lastSyncedAt: row.last_synced_at,
    shownInZendesk: row.zendesk_shown,
    zendeskWrittenAt: row.zendesk_written_at,
  }
}

/** Runs an update that a unique constraint may refuse (the other side is linked already): false then. */
async function refusedIfTaken(update: () => Promise<unknown>): Promise<boolean> {
  try {
    await update()
    return true
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false
    throw error
  }
}

/** ticket_links: one row per linked pair, unique per side; written as 'pending' before the remote create. */
export function createTicketLinksRepository(pool: Pool): TicketLinkStore {
  async function completeLinks(results: Parameters<TicketLinkStore['completeLinks']>[0]): Promise<void> {
    if (results.length === 0) return
    // One statement for a whole create call: arrays in, one row per link out of unnest.
    await pool.query(
      `UPDATE ticket_links l SET autotask_ticket_id = r.autotask_ticket_id, autotask_ticket_number = r.ticket_number, synced = r.synced,
              autotask_snapshot = r.snapshot, state = 'linked', last_error = NULL, last_synced_at = now(), updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::jsonb[], $5::jsonb[]) AS r(id, autotask_ticket_id, ticket_number, synced, snapshot)
        WHERE l.id = r.id`,
      [
        results.map((result) => result.linkId),
        results.map((result) => result.autotaskTicketId),
        results.map((result) => result.ticketNumber),
        results.map((result) => JSON.stringify(result.synced)),
        results.map((result) => JSON.stringify(result.snapshot)),
      ],
    )
  }

  async function saveLinkSyncs(updates: Parameters<TicketLinkStore['saveLinkSyncs']>[0]): Promise<void> {
    if (updates.length === 0) return
    await pool.query(
      `UPDATE ticket_links l SET synced = u.synced, autotask_snapshot = coalesce(u.snapshot, l.autotask_snapshot),
              state = coalesce(u.state, l.state), last_error = u.last_error, zendesk_written_at = coalesce(u.written_at, l.zendesk_written_at),
              last_synced_at = now(), updated_at = now()
         FROM unnest($1::bigint[], $2::jsonb[], $3::jsonb[], $4::text[], $5::text[], $6::timestamptz[]) AS u(id, synced, snapshot, state, last_error, written_at)
        WHERE l.id = u.id`,
      [
        updates.map((update) => update.linkId),
        updates.map((update) => JSON.stringify(update.synced)),
        updates.map((update) => (update.snapshot ? JSON.stringify(update.snapshot) : null)),
        updates.map((update) => update.state ?? null),
        updates.map((update) => update.lastError ?? null),
        updates.map((update) => update.zendeskWrittenAt ?? null),
      ],
    )
  }

  return {
    async getLinks(accountId, ticketIds) {
      if (ticketIds.length === 0) return new Map()
      const { rows } = await pool.query<TicketLinkRow>(
        `SELECT ${COLUMNS} FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2::bigint[])`,
        [accountId, ticketIds],
      )
      return new Map(rows.map((row) => [row.zendesk_ticket_id, toLink(row)]))
    },

    async findLinksByAutotaskIds(connectionId, autotaskTicketIds) {
      if (autotaskTicketIds.length === 0) return []
      const { rows } = await pool.query<TicketLinkRow>(
        `SELECT ${COLUMNS} FROM ticket_links WHERE connection_id = $1 AND autotask_ticket_id = ANY($2::bigint[])`,
        [connectionId, autotaskTicketIds],
      )
      return rows.map(toLink)
    },

    async insertPendingLinks(links) {
      if (links.length === 0) return []
      const { rows } = await pool.query<TicketLinkRow>(
        `INSERT INTO ticket_links (zendesk_account_id, connection_id, zendesk_ticket_id, external_id)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[])
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          links.map((link) => link.zendeskAccountId),
          links.map((link) => link.connectionId),
          links.map((link) => link.zendeskTicketId),
          links.map((link) => link.externalId),
        ],
      )
      return rows.map(toLink)
    },

    async completeLink(linkId, result) {
      await completeLinks([{ linkId, ...result }])
    },

    async deletePendingLink(linkId) {
      await pool.query(`DELETE FROM ticket_links WHERE id = $1 AND state = 'pending' AND autotask_ticket_id IS NULL`, [linkId])
    },

    async moveLinkToZendeskTicket(linkId, zendeskTicketId) {
      // The surviving ticket has neither the fields nor the tag yet: it is shown on its next sync.
      return refusedIfTaken(() =>
        pool.query('UPDATE ticket_links SET zendesk_ticket_id = $2, zendesk_shown = NULL, updated_at = now() WHERE id = $1', [linkId, zendeskTicketId]),
      )
    },

    async moveLinkToAutotaskTicket(linkId, autotask) {
      return refusedIfTaken(() =>
        pool.query('UPDATE ticket_links SET autotask_ticket_id = $2, autotask_ticket_number = $3, updated_at = now() WHERE id = $1', [
          linkId,
          autotask.ticketId,
          autotask.ticketNumber,
        ]),
      )
    },

    async saveLinkSync(linkId, update) {
      await saveLinkSyncs([{ linkId, ...update }])
    },

    async saveShownInZendesk(linkId, shown) {
      await pool.query('UPDATE ticket_links SET zendesk_shown = $2, updated_at = now() WHERE id = $1', [linkId, shown === null ? null : JSON.stringify(shown)])
    },
    completeLinks,
    saveLinkSyncs,
  }
}
