import type { Pool } from 'pg'
import type { WatchedTicket } from '../../sync/find-watched-note-changes'

/** How long one sidebar read keeps its ticket watched: a visible sidebar re-reads every 20 s. */
export const WATCH_SECONDS = 120

export interface WatchedConnection {
  accountId: number
  connectionId: number
}

/** ticket_watches and note_watch_scans: which tickets open sidebars show, and each connection's last scan of their notes. */
export function createTicketWatchesRepository(pool: Pool) {
  return {
    /**
     * The ticket stays watched for WATCH_SECONDS from now. A row still watched for most of that is
     * left alone, so a sidebar's every read does not rewrite it.
     */
    async watch(accountId: number, ticketId: number): Promise<void> {
      await pool.query(
        `INSERT INTO ticket_watches (zendesk_account_id, zendesk_ticket_id, watched_until)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (zendesk_account_id, zendesk_ticket_id) DO UPDATE SET watched_until = EXCLUDED.watched_until
          WHERE ticket_watches.watched_until < EXCLUDED.watched_until - interval '15 seconds'`,
        [accountId, ticketId, WATCH_SECONDS],
      )
    },

    /** Connections (not paused) with at least one linked ticket an open sidebar shows right now. */
    async watchedConnections(): Promise<WatchedConnection[]> {
      const { rows } = await pool.query<{ account_id: string; connection_id: string }>(
        `SELECT DISTINCT l.zendesk_account_id AS account_id, l.connection_id
           FROM ticket_watches w
           JOIN ticket_links l ON l.zendesk_account_id = w.zendesk_account_id AND l.zendesk_ticket_id = w.zendesk_ticket_id
           JOIN autotask_connections c ON c.id = l.connection_id AND NOT c.paused
          WHERE w.watched_until > now() AND l.state = 'linked' AND l.autotask_ticket_id IS NOT NULL
          ORDER BY 1, 2`,
      )
      return rows.map((row) => ({ accountId: Number(row.account_id), connectionId: Number(row.connection_id) }))
    },

    /** The connection's linked tickets that open sidebars show right now. */
    async watchedTickets(accountId: number, connectionId: number): Promise<WatchedTicket[]> {
      const { rows } = await pool.query<{ zendesk_ticket_id: string; autotask_ticket_id: string }>(
        `SELECT l.zendesk_ticket_id, l.autotask_ticket_id
           FROM ticket_watches w
           JOIN ticket_links l ON l.zendesk_account_id = w.zendesk_account_id AND l.zendesk_ticket_id = w.zendesk_ticket_id
          WHERE w.zendesk_account_id = $1 AND l.connection_id = $2 AND w.watched_until > now()
            AND l.state = 'linked' AND l.autotask_ticket_id IS NOT NULL
          ORDER BY l.autotask_ticket_id`,
        [accountId, connectionId],
      )
      return rows.map((row) => ({ zendeskTicketId: Number(row.zendesk_ticket_id), autotaskTicketId: Number(row.autotask_ticket_id) }))
    },

    /** Which of these Autotask notes the ledger already knows (mirrored, skipped, or written by PSA Link). */
    async knownNoteIds(connectionId: number, noteIds: number[]): Promise<Set<number>> {
      if (noteIds.length === 0) return new Set()
      const { rows } = await pool.query<{ autotask_note_id: string }>(
        'SELECT autotask_note_id FROM comment_links WHERE connection_id = $1 AND autotask_note_id = ANY($2::bigint[])',
        [connectionId, noteIds],
      )
      return new Set(rows.map((row) => Number(row.autotask_note_id)))
    },

    async lastScan(connectionId: number): Promise<Date | null> {
      const { rows } = await pool.query<{ scanned_at: Date }>('SELECT scanned_at FROM note_watch_scans WHERE connection_id = $1', [connectionId])
      return rows[0]?.scanned_at ?? null
    },

    async saveScan(accountId: number, connectionId: number, scannedAt: Date): Promise<void> {
      await pool.query(
        `INSERT INTO note_watch_scans (connection_id, zendesk_account_id, scanned_at) VALUES ($1, $2, $3)
         ON CONFLICT (connection_id) DO UPDATE SET scanned_at = greatest(note_watch_scans.scanned_at, EXCLUDED.scanned_at)`,
        [connectionId, accountId, scannedAt],
      )
    },

    /** Lapsed watches (kept a while for nobody; the scan ignores them already). */
    async pruneLapsed(): Promise<number> {
      const { rowCount } = await pool.query(`DELETE FROM ticket_watches WHERE watched_until < now() - interval '1 hour'`)
      return rowCount ?? 0
    },
  }
}

export type TicketWatchesRepository = ReturnType<typeof createTicketWatchesRepository>
