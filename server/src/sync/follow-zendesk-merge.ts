import type { SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { TicketLinkStore } from './ports/ticket-link-store'
import type { TicketStateStore } from './ports/ticket-state-store'

/** The private comment Zendesk adds to a ticket merged into another. */
const MERGED_INTO = /merged into request #(\d+)/i

/**
 * A Zendesk ticket merged into another (sync/README.md R18): the link moves to the surviving
 * ticket when that one has none, so its comments keep reaching the same Autotask ticket; otherwise
 * the link is closed. Nothing is deleted in Autotask either way.
 */
export async function followZendeskMerge(context: SyncContext<TicketLinkStore & TicketStateStore>, work: TicketWork): Promise<void> {
  const link = work.link!
  const survivorId = await mergedInto(context, work)
  const number = link.autotaskTicketNumber ?? String(link.autotaskTicketId)
  if (survivorId && (await context.store.getLinks(context.account.id, [Number(survivorId)])).size === 0) {
    if (await context.store.moveLinkToZendeskTicket(link.id, Number(survivorId))) {
      // The surviving ticket is synced on the next pass (its own lease, its own comments).
      await context.store.markDirty(context.account.id, [Number(survivorId)], context.now())
      settle(work, {
        state: 'closed',
        reason: 'merged',
        message: `This Zendesk ticket was merged into #${survivorId}; its link to Autotask ticket ${number} moved there.`,
        retryAt: null,
      })
      return
    }
  }
  await context.store.saveLinkSync(link.id, { synced: link.synced, state: 'closed', lastError: null })
  settle(work, {
    state: 'closed',
    reason: 'merged',
    message: `This Zendesk ticket was merged into ${survivorId ? `#${survivorId}, which has its own Autotask ticket` : 'another'}; the link is closed and Autotask ticket ${number} is kept.`,
    retryAt: null,
  })
}

/** The ticket a merged Zendesk ticket went into, read from the comment Zendesk adds; undefined if none. */
export async function mergedInto(context: SyncContext<unknown>, work: TicketWork): Promise<string | undefined> {
  work.comments ??= await context.zendesk.listComments(work.ticket.id)
  return [...work.comments]
    .reverse()
    .map((comment) => MERGED_INTO.exec(comment.body)?.[1])
    .find((id): id is string => id !== undefined)
}
