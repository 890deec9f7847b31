import type { AutotaskNote } from './ports/autotask-gateway'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { CommentLedgerStore } from './ports/comment-ledger-store'
import type { TicketLinkStore } from './ports/ticket-link-store'

/** The store ports following a merge writes: the moved link and the copied notes' ledger rows. */
type MergeStores = TicketLinkStore & CommentLedgerStore

/** The system note Autotask writes on a ticket merged into another. */
const MERGED_INTO = /merged into ticket (T\d{8}\.\d+)/i

/** True when a note on `work` says Autotask merged its ticket into another. */
export function hasMergeNote(work: Pick<TicketWork, 'notes'>): boolean {
  return work.notes.some((note) => MERGED_INTO.test(note.description))
}

/**
 * Autotask tickets merged into another (sync/README.md R18): the link follows the surviving
 * ticket, so notes written after the merge are not stranded. Autotask copies the merged ticket's
 * notes onto the survivor; copies of notes already mirrored are recorded as such, never posted
 * twice. A survivor already linked to another Zendesk ticket closes this link instead.
 */
export async function followAutotaskMerges(context: SyncContext<MergeStores>, connection: ConnectionContext, items: TicketWork[]): Promise<void> {
  const merged = items.flatMap((work) => {
    const note = work.notes.find((candidate) => MERGED_INTO.test(candidate.description))
    return note ? [{ work, survivorNumber: MERGED_INTO.exec(note.description)![1]! }] : []
  })
  if (merged.length === 0) return
  const survivors = await connection.gateway.findTicketsByNumbers([...new Set(merged.map((entry) => entry.survivorNumber))])
  for (const { work, survivorNumber } of merged) {
    const survivor = survivors.find((ticket) => ticket.ticketNumber === survivorNumber)
    const link = work.link!
    if (!survivor || survivor.id === link.autotaskTicketId) continue
    const source = work.autotaskTicket!
    if (!(await context.store.moveLinkToAutotaskTicket(link.id, { ticketId: survivor.id, ticketNumber: survivor.ticketNumber }))) {
      await context.store.saveLinkSync(link.id, { synced: link.synced, state: 'closed', lastError: null })
      settle(work, {
        state: 'closed',
        reason: 'autotask_merged',
        message: `Autotask ticket ${source.ticketNumber} was merged into ${survivor.ticketNumber}, which belongs to another Zendesk ticket; the link is closed.`,
        retryAt: null,
      })
      continue
    }
    const survivorNotes = await connection.gateway.findNotesByTicketIds([survivor.id])
    const sourceNotes = await connection.gateway.findNotesByTicketIds([source.id])
    await recordCopiedNotes(context, connection, work, sourceNotes, survivorNotes)
    work.link = { ...link, autotaskTicketId: survivor.id, autotaskTicketNumber: survivor.ticketNumber }
    work.autotaskTicket = survivor
    work.notes = survivorNotes
    // The survivor's fields are a technician's choice: the baseline is what it holds now.
    work.synced = {
      ...work.synced,
      accountId: survivor.accountId,
      installedProductId: survivor.installedProductId ?? undefined,
      autotaskDescription: survivor.description,
    }
    context.log.info({ ticketId: work.ticket.id, from: source.ticketNumber, to: survivor.ticketNumber }, 'link follows an Autotask merge')
  }
}

async function recordCopiedNotes(
  context: SyncContext<MergeStores>,
  connection: ConnectionContext,
  work: TicketWork,
  sourceNotes: AutotaskNote[],
  survivorNotes: AutotaskNote[],
): Promise<void> {
  const mirrored = new Set(work.ledger.map((entry) => entry.autotaskNoteId).filter((id): id is number => id !== null))
  const key = (note: AutotaskNote) => `${note.title ?? ''}\u0000${note.description}`
  const alreadyMirrored = new Set(sourceNotes.filter((note) => mirrored.has(note.id)).map(key))
  const copies = survivorNotes.filter((note) => !mirrored.has(note.id) && alreadyMirrored.has(key(note)))
  if (copies.length === 0) return
  const rows = await context.store.insertPendingLedger(
    copies.map((note) => ({
      zendeskAccountId: context.account.id,
      connectionId: connection.id,
      ticketLinkId: work.link!.id,
      origin: 'autotask' as const,
      zendeskCommentId: null,
      autotaskNoteId: note.id,
      part: 1,
      naturalKey: `Autotask note #${note.id}`,
      authorName: 'Autotask',
      isPublic: false,
      preview: note.description.slice(0, 500),
      sourceCreatedAt: note.createdAt,
    })),
  )
  for (const row of rows) {
    await context.store.skipLedger(row.id, 'A copy Autotask made when it merged tickets; the original was mirrored already.')
    work.ledger.push({ ...row, state: 'skipped' })
  }
}
