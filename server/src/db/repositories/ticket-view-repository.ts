import type { Pool } from 'pg'
import type {
  ManualLinkPolicy,
  RouteCandidate,
  SyncedNote,
  SyncProblemSummary,
  TicketStateReason,
  TicketStateResponse,
  TicketSyncState,
} from '@psa-link/shared'
import type { AutotaskSnapshot } from '../../sync/ports/ticket-link-store'

/** The sidebar shows the latest few and pages on: 20 at once made it 2,400 px tall. */
export const NOTES_PAGE_SIZE = 5
/** The ledger keeps this much of each note (mirror-notes-to-autotask, mirror-comments-to-zendesk). */
const STORED_PREVIEW_LENGTH = 500

interface LinkRow {
  id: number
  autotask_ticket_id: number | null
  state: 'pending' | 'linked' | 'broken' | 'closed'
  autotask_snapshot: AutotaskSnapshot | null
  last_error: string | null
  last_synced_at: Date | null
  connection_name: string
  connection_paused: boolean
}

interface StateRow {
  state: TicketSyncState
  reason: TicketStateReason | null
  message: string | null
  cluster_id: string | null
  candidates: RouteCandidate[]
  waiting_notes: number
  last_attempt_at: Date | null
  next_attempt_at: Date | null
  lease_active: boolean
}

interface NoteRow {
  id: number
  origin: 'autotask' | 'zendesk'
  zendesk_comment_id: number | null
  autotask_note_id: number | null
  part: number
  state: 'pending' | 'done' | 'skipped'
  author_name: string | null
  is_public: boolean | null
  preview: string | null
  at: Date
}

interface ProblemRow {
  code: string
  message: string
  remote_message: string | null
  attempts: number
  next_retry_at: Date | null
}

/** Where the notes list continues: the (time, id) of the last note shown, opaque to the app. */
interface NotesCursor {
  at: string
  id: number
}

export function encodeNotesCursor(cursor: NotesCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url')
}

export function decodeNotesCursor(value: string): NotesCursor | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (!Array.isArray(decoded) || decoded.length !== 2) return null
    const [at, id] = decoded as unknown[]
    if (typeof at !== 'string' || !Number.isFinite(Date.parse(at)) || typeof id !== 'number' || !Number.isSafeInteger(id)) return null
    return { at, id }
  } catch {
    return null
  }
}

function noteOf(row: NoteRow): SyncedNote {
  const sourceId = row.origin === 'autotask' ? `at:${row.autotask_note_id ?? `pending-${row.id}`}` : `zd:${row.zendesk_comment_id ?? `pending-${row.id}`}`
  return {
    id: row.part > 1 ? `${sourceId}:${row.part}` : sourceId,
    origin: row.origin,
    author: row.author_name ?? (row.origin === 'autotask' ? 'Autotask' : 'Zendesk'),
    createdAt: row.at.toISOString(),
    public: row.is_public ?? false,
    title: null,
    text: row.preview ?? '',
    truncated: (row.preview?.length ?? 0) >= STORED_PREVIEW_LENGTH,
    state: row.state === 'done' ? 'synced' : row.state,
  }
}

function problemOf(row: ProblemRow): SyncProblemSummary {
  return {
    code: row.code,
    message: row.message,
    remoteMessage: row.remote_message,
    attempts: row.attempts,
    nextRetryAt: row.next_retry_at ? row.next_retry_at.toISOString() : null,
  }
}

/**
 * The link's own state wins where the engine recorded one that the per-ticket row may not repeat;
 * a linked ticket's pause follows its connection now, not at its next change (the engine only
 * records a pause when a change has to wait, and the end of one at the next pass).
 */
function stateOf(link: LinkRow | null, state: StateRow | null): { state: TicketSyncState; reason: TicketStateReason | null } {
  if (link?.state === 'broken' || link?.state === 'closed') return { state: link.state, reason: state?.state === link.state ? state.reason : null }
  if (link?.state === 'linked' && link.connection_paused) return { state: 'paused', reason: 'connection_paused' }
  // Resumed since a pass recorded the pause: nothing waits on the pause any more.
  if (link?.state === 'linked' && state?.state === 'paused') return { state: 'linked', reason: null }
  if (state) return { state: state.state, reason: state.reason }
  return { state: link?.state === 'linked' ? 'linked' : 'pending', reason: null }
}

/**
 * What the sidebar shows for one Zendesk ticket, read from PostgreSQL alone (sync/README.md R19
 * "Observable state"): the link and its last Autotask snapshot, the ledger's notes, open problems.
 * Every query is scoped by the caller's account, so one tenant never reads another's rows.
 */
export function createTicketViewRepository(pool: Pool) {
  return {
    /** Null when PSA Link has never seen this ticket (no link, no state row). */
    async ticketView(
      accountId: number,
      ticketId: number,
      options: { notesCursor?: NotesCursor | null; notesLimit?: number } = {},
    ): Promise<TicketStateResponse | null> {
      const limit = options.notesLimit ?? NOTES_PAGE_SIZE
      const [links, states, problems, manualLinkPolicy] = await Promise.all([
        pool.query<LinkRow>(
          `SELECT l.id, l.autotask_ticket_id, l.state, l.autotask_snapshot, l.last_error, l.last_synced_at, c.name AS connection_name,
                  c.paused AS connection_paused
             FROM ticket_links l JOIN autotask_connections c ON c.id = l.connection_id
            WHERE l.zendesk_account_id = $1 AND l.zendesk_ticket_id = $2`,
          [accountId, ticketId],
        ),
        pool.query<StateRow>(
          `SELECT state, reason, message, cluster_id, candidates, waiting_notes, last_attempt_at,
                  CASE WHEN dirty_since IS NOT NULL THEN next_attempt_at END AS next_attempt_at,
                  (lease_owner IS NOT NULL AND lease_expires_at > now()) AS lease_active
             FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2`,
          [accountId, ticketId],
        ),
        pool.query<ProblemRow>(
          `SELECT code, message, remote_message, attempts, next_retry_at FROM sync_problems
            WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2 AND state IN ('open', 'retrying')
            ORDER BY last_seen_at DESC LIMIT 20`,
          [accountId, ticketId],
        ),
        this.manualLinkPolicy(accountId),
      ])
      const link = links.rows[0] ?? null
      const state = states.rows[0] ?? null
      if (!link && !state) return null

      const notes = link ? await this.notesPage(accountId, link.id, limit, options.notesCursor ?? null) : { items: [], nextCursor: null }
      const snapshot = link?.autotask_snapshot ?? null
      return {
        zendeskTicketId: ticketId,
        ...stateOf(link, state),
        message: state?.message ?? link?.last_error ?? null,
        clusterId: state?.cluster_id ?? null,
        autotask:
          link && snapshot && link.autotask_ticket_id !== null
            ? {
                ticketId: link.autotask_ticket_id,
                ticketNumber: snapshot.ticketNumber,
                url: snapshot.url,
                title: snapshot.title,
                status: snapshot.status,
                priority: snapshot.priority,
                accountName: snapshot.accountName,
                queue: snapshot.queue,
                dueDateTime: snapshot.dueDateTime,
                connectionName: link.connection_name,
              }
            : null,
        lastSyncedAt: (link?.last_synced_at ?? (state?.state !== 'pending' ? state?.last_attempt_at : null) ?? null)?.toISOString() ?? null,
        checkedAt: state?.last_attempt_at?.toISOString() ?? null,
        syncing: state?.lease_active ?? false,
        nextAttemptAt: state?.next_attempt_at?.toISOString() ?? null,
        notes,
        problems: problems.rows.map(problemOf),
        candidates: state?.candidates ?? [],
        waitingNotes: state?.waiting_notes ?? 0,
        manualLinkPolicy,
      }
    },

    /** Who may link tickets by hand from the sidebar (the account's setting; 'off' for an unknown account). */
    async manualLinkPolicy(accountId: number): Promise<ManualLinkPolicy> {
      const { rows } = await pool.query<{ sidebar_manual_link: ManualLinkPolicy }>('SELECT sidebar_manual_link FROM zendesk_accounts WHERE id = $1', [
        accountId,
      ])
      return rows[0]?.sidebar_manual_link ?? 'off'
    },

    /** Newest first, by the source's creation time (the ledger row's when the source's is unknown). */
    async notesPage(accountId: number, linkId: number, limit: number, cursor: NotesCursor | null): Promise<TicketStateResponse['notes']> {
      const { rows } = await pool.query<NoteRow>(
        `SELECT id, origin, zendesk_comment_id, autotask_note_id, part, state, author_name, is_public, preview,
                coalesce(source_created_at, created_at) AS at
           FROM comment_links
          WHERE zendesk_account_id = $1 AND ticket_link_id = $2
            AND ($3::timestamptz IS NULL OR (coalesce(source_created_at, created_at), id) < ($3::timestamptz, $4::bigint))
          ORDER BY coalesce(source_created_at, created_at) DESC, id DESC
          LIMIT $5`,
        [accountId, linkId, cursor?.at ?? null, cursor?.id ?? 0, limit + 1],
      )
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return {
        items: page.map(noteOf),
        nextCursor: rows.length > limit && last ? encodeNotesCursor({ at: last.at.toISOString(), id: last.id }) : null,
      }
    },

    /** Why nothing can sync for this account, or null when it has what a sync needs. */
    async notConfiguredReason(accountId: number): Promise<string | null> {
      const { rows } = await pool.query<{ cluster_id_field_id: number | null; connections: number }>(
        `SELECT a.cluster_id_field_id,
                (SELECT count(*)::int FROM autotask_connections c WHERE c.zendesk_account_id = a.id AND c.removed_at IS NULL) AS connections
           FROM zendesk_accounts a WHERE a.id = $1`,
        [accountId],
      )
      const row = rows[0]
      if (!row) return 'This Zendesk account is not connected to PSA Link.'
      if (row.connections === 0) return 'No Autotask connection is configured for this Zendesk account yet.'
      if (row.cluster_id_field_id === null) return 'The Cluster ID ticket field is not configured for this Zendesk account yet.'
      return null
    },
  }
}

export type TicketViewRepository = ReturnType<typeof createTicketViewRepository>
