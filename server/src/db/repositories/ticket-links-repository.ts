import type { Pool } from 'pg'
import type { SyncStore, TicketLink } from '../../sync/ports/sync-store'

type TicketLinkMethods = Pick<
  SyncStore,
  | 'getLinks'
  | 'findLinksByAutotaskIds'
  | 'insertPendingLinks'
  | 'completeLink'
  | 'deletePendingLink'
  | 'moveLinkToZendeskTicket'
  | 'moveLinkToAutotaskTicket'
  | 'saveLinkSync'
  | 'saveShownInZendesk'
>

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
}

const COLUMNS = `id, zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, autotask_ticket_number,
                 external_id, state, synced, last_synced_at, zendesk_shown`

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
export function createTicketLinksRepository(pool: Pool): TicketLinkMethods {
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
      await pool.query(
        `UPDATE ticket_links SET autotask_ticket_id = $2, autotask_ticket_number = $3, synced = $4, autotask_snapshot = $5,
                state = 'linked', last_error = NULL, last_synced_at = now(), updated_at = now()
          WHERE id = $1`,
        [linkId, result.autotaskTicketId, result.ticketNumber, JSON.stringify(result.synced), JSON.stringify(result.snapshot)],
      )
    },

    async deletePendingLink(linkId) {
      await pool.query(`DELETE FROM ticket_links WHERE id = $1 AND state = 'pending' AND autotask_ticket_id IS NULL`, [linkId])
    },

    async moveLinkToZendeskTicket(linkId, zendeskTicketId) {
      // The surviving ticket has neither the fields nor the tag yet: it is shown on its next sync.
      return refusedIfTaken(() => pool.query('UPDATE ticket_links SET zendesk_ticket_id = $2, zendesk_shown = NULL, updated_at = now() WHERE id = $1', [linkId, zendeskTicketId]))
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
      await pool.query(
        `UPDATE ticket_links SET synced = $2, autotask_snapshot = coalesce($3, autotask_snapshot),
                state = coalesce($4, state), last_error = $5, last_synced_at = now(), updated_at = now()
          WHERE id = $1`,
        [linkId, JSON.stringify(update.synced), update.snapshot ? JSON.stringify(update.snapshot) : null, update.state ?? null, update.lastError ?? null],
      )
    },

    async saveShownInZendesk(linkId, shown) {
      await pool.query('UPDATE ticket_links SET zendesk_shown = $2, updated_at = now() WHERE id = $1', [linkId, shown === null ? null : JSON.stringify(shown)])
    },
  }
}
