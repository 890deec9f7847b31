import type { Pool } from 'pg'
import type { CommentLedgerStore, LedgerEntry } from '../../sync/ports/comment-ledger-store'

interface LedgerRow {
  id: number
  ticket_link_id: number
  origin: LedgerEntry['origin']
  zendesk_comment_id: number | null
  autotask_note_id: number | null
  part: number
  natural_key: string
  state: LedgerEntry['state']
}

const COLUMNS = 'id, ticket_link_id, origin, zendesk_comment_id, autotask_note_id, part, natural_key, state'

const toEntry = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  ticketLinkId: row.ticket_link_id,
  origin: row.origin,
  zendeskCommentId: row.zendesk_comment_id,
  autotaskNoteId: row.autotask_note_id,
  part: row.part,
  naturalKey: row.natural_key,
  state: row.state,
})

/** comment_links: the ledger of mirrored comments and notes, written before each remote create. */
export function createCommentLedgerRepository(pool: Pool): CommentLedgerStore {
  /** Ledger rows done, a whole create call's in one statement. */
  async function completeLedgers(entries: Parameters<CommentLedgerStore['completeLedgers']>[0]): Promise<void> {
    if (entries.length === 0) return
    await pool.query(
      `UPDATE comment_links c SET state = 'done', completed_at = now(),
              zendesk_comment_id = coalesce(e.zendesk_comment_id, c.zendesk_comment_id), autotask_note_id = coalesce(e.autotask_note_id, c.autotask_note_id)
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS e(id, zendesk_comment_id, autotask_note_id)
        WHERE c.id = e.id`,
      [entries.map((entry) => entry.entryId), entries.map((entry) => entry.zendeskCommentId ?? null), entries.map((entry) => entry.autotaskNoteId ?? null)],
    )
  }

  return {
    async getLedger(linkIds) {
      if (linkIds.length === 0) return []
      const { rows } = await pool.query<LedgerRow>(`SELECT ${COLUMNS} FROM comment_links WHERE ticket_link_id = ANY($1::bigint[]) ORDER BY id`, [linkIds])
      return rows.map(toEntry)
    },

    async insertPendingLedger(entries) {
      if (entries.length === 0) return []
      const column = <K extends keyof (typeof entries)[number]>(key: K) => entries.map((entry) => entry[key])
      const { rows } = await pool.query<LedgerRow>(
        `INSERT INTO comment_links (zendesk_account_id, connection_id, ticket_link_id, origin, zendesk_comment_id,
                                    autotask_note_id, part, natural_key, author_name, is_public, preview, source_created_at)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[],
                              $7::int[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::timestamptz[])
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          column('zendeskAccountId'),
          column('connectionId'),
          column('ticketLinkId'),
          column('origin'),
          column('zendeskCommentId'),
          column('autotaskNoteId'),
          column('part'),
          column('naturalKey'),
          column('authorName'),
          column('isPublic'),
          column('preview'),
          column('sourceCreatedAt'),
        ],
      )
      return rows.map(toEntry)
    },

    async completeLedger(entryId, remote) {
      await completeLedgers([{ entryId, ...remote }])
    },

    completeLedgers,

    async skipLedger(entryId, reason) {
      await pool.query(`UPDATE comment_links SET state = 'skipped', skip_reason = $2, completed_at = now() WHERE id = $1`, [entryId, reason])
    },

    async deletePendingLedger(entryId) {
      await pool.query(`DELETE FROM comment_links WHERE id = $1 AND state = 'pending'`, [entryId])
    },
  }
}
