import type { Pool } from 'pg'
import type { CommentStaging } from '../../sync/ports/comment-staging'
import type { ZendeskComment } from '../../sync/ports/zendesk-gateway'
import { withTransaction } from '../transaction'

type StoredComment = Omit<ZendeskComment, 'createdAt'> & { createdAt: string }

/** staged_zendesk_comments and staged_comment_positions (migration 027): the engine's CommentStaging. */
export function createStagedCommentsRepository(pool: Pool): CommentStaging {
  return {
    async position(accountId, backfillId) {
      const { rows } = await pool.query<{ from_time: string; until_time: string; complete: boolean }>(
        'SELECT from_time, until_time, complete FROM staged_comment_positions WHERE zendesk_account_id = $1 AND backfill_id = $2',
        [accountId, backfillId],
      )
      const row = rows[0]
      return row ? { fromTime: Number(row.from_time), untilTime: Number(row.until_time), complete: row.complete } : null
    },

    async stage(accountId, backfillId, comments, position) {
      await withTransaction(pool, async (client) => {
        if (comments.length > 0) {
          // One statement a page (unnest); a comment seen again replaces its earlier copy.
          await client.query(
            `INSERT INTO staged_zendesk_comments (zendesk_account_id, backfill_id, comment_id, ticket_id, created_at, comment)
             SELECT $1, $2, c.comment_id, c.ticket_id, c.created_at, c.comment
               FROM unnest($3::bigint[], $4::bigint[], $5::timestamptz[], $6::jsonb[]) AS c (comment_id, ticket_id, created_at, comment)
             ON CONFLICT (zendesk_account_id, backfill_id, comment_id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, created_at = EXCLUDED.created_at, comment = EXCLUDED.comment`,
            [
              accountId,
              backfillId,
              comments.map((item) => item.comment.id),
              comments.map((item) => item.ticketId),
              comments.map((item) => item.comment.createdAt),
              comments.map((item) => JSON.stringify(item.comment)),
            ],
          )
        }
        await client.query(
          `INSERT INTO staged_comment_positions (zendesk_account_id, backfill_id, from_time, until_time, complete)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (zendesk_account_id, backfill_id) DO UPDATE SET from_time = EXCLUDED.from_time, until_time = EXCLUDED.until_time, complete = EXCLUDED.complete, updated_at = now()`,
          [accountId, backfillId, position.fromTime, position.untilTime, position.complete],
        )
      })
    },

    async commentsOf(accountId, backfillId, ticketIds) {
      const staged = new Map<number, ZendeskComment[]>()
      if (ticketIds.length === 0) return staged
      const { rows } = await pool.query<{ ticket_id: string; comment: StoredComment }>(
        `SELECT ticket_id, comment FROM staged_zendesk_comments
          WHERE zendesk_account_id = $1 AND backfill_id = $2 AND ticket_id = ANY($3::bigint[])
          ORDER BY ticket_id, created_at, comment_id`,
        [accountId, backfillId, ticketIds],
      )
      for (const row of rows) {
        const ticketId = Number(row.ticket_id)
        const list = staged.get(ticketId) ?? []
        list.push({ ...row.comment, createdAt: new Date(row.comment.createdAt) })
        staged.set(ticketId, list)
      }
      return staged
    },

    async clear(accountId, backfillId) {
      await pool.query('DELETE FROM staged_zendesk_comments WHERE zendesk_account_id = $1 AND backfill_id = $2', [accountId, backfillId])
      await pool.query('DELETE FROM staged_comment_positions WHERE zendesk_account_id = $1 AND backfill_id = $2', [accountId, backfillId])
    },
  }
}
