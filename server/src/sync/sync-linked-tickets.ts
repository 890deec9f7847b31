import type { AutotaskTicket } from './ports/autotask-gateway'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'
import type { TicketLinkStore } from './ports/ticket-link-store'
import { buildAutotaskSnapshot } from './autotask-snapshot'
import { followAutotaskMerges, hasMergeNote } from './follow-autotask-merges'
import { followZendeskMerge } from './follow-zendesk-merge'
import { mirrorCommentsToZendesk } from './mirror-comments-to-zendesk'
import { mirrorNotesToAutotask } from './mirror-notes-to-autotask'
import { mayPushFields, pushFieldChanges } from './push-field-changes'
import { recoverPendingLedger } from './recover-pending-ledger'
import { showLinksInZendesk } from './show-links-in-zendesk'
import { messageOf, retryAt } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { groupBy } from './group-by'
import { settle, type TicketWork } from './ticket-work'
import { readMissingComments } from './read-missing-comments'
import { addNotes, readEverythingAtOnce, type EarlyFullReads } from './full-reads'
import { needsAutotaskSide } from './needs-autotask-side'

export interface LinkedSyncOptions {
  /** Read every note of each Autotask ticket (Sync now, retries) instead of only the ones the cycle saw change. */
  full: boolean
  nextCycleAt: Date
  /** A full sync's reads, started as soon as the links were known (Sync now). */
  early?: EarlyFullReads
}

/**
 * Brings every linked ticket in step: lifecycle (deleted, merged, broken), one-way fields, then
 * comments and notes both ways. Per connection, each step is one batch for all its tickets.
 */
export async function syncLinkedTickets(context: SyncContext, items: TicketWork[], options: LinkedSyncOptions): Promise<void> {
  const linked: TicketWork[] = []
  for (const work of items) {
    if (work.outcome || !work.link || work.link.autotaskTicketId === null) continue
    if (work.link.state === 'closed') settle(work, { state: 'closed', message: 'The link was closed; nothing more is synced.', retryAt: null })
    else if (work.link.state === 'broken') settle(work, { state: 'broken', message: 'The Autotask ticket was deleted or cannot be found.', retryAt: null })
    else if (work.ticket.status === 'deleted') await closeLink(context, work)
    else if (work.ticket.tags.includes('closed_by_merge')) await followZendeskMerge(context, work)
    else linked.push(work)
  }
  for (const connection of context.connections) {
    const group = linked.filter((work) => work.link!.connectionId === connection.id)
    if (group.length === 0) continue
    if (connection.paused) {
      for (const work of group)
        settle(work, {
          state: 'paused',
          reason: 'connection_paused',
          message: `Autotask connection ${connection.name} is paused; changes wait until it resumes.`,
          retryAt: options.nextCycleAt,
        })
      continue
    }
    if (!connection.ready) {
      for (const work of group)
        settle(work, {
          state: 'error',
          message: `Autotask connection ${connection.name} is not ready: ${connection.notReadyReason ?? 'unknown reason'}`,
          retryAt: options.nextCycleAt,
        })
      continue
    }
    try {
      await syncConnectionGroup(context, connection, group, options)
    } catch (error) {
      // A whole-call failure (outage, timeout, throttling): every ticket of the group waits for a retry.
      context.log.warn({ err: error, connection: connection.name }, 'linked tickets could not be synced')
      for (const work of group) {
        settle(work, { state: 'error', message: `Sync failed: ${messageOf(error)}`, retryAt: retryAt(context.now(), error) ?? options.nextCycleAt })
      }
    }
  }
}

async function syncConnectionGroup(context: SyncContext, connection: ConnectionContext, group: TicketWork[], options: LinkedSyncOptions): Promise<void> {
  const { gateway } = connection
  // A full sync needs every read whatever the others answer: they go at once (after the claim, so
  // a pending ledger entry is looked up in what the remotes hold now).
  const readAll = options.full
  if (readAll && options.early) await options.early.fill(connection, group)
  else if (readAll) await readEverythingAtOnce(context, connection, group)
  else await readZendeskSide(context, group)
  const integrationUserId = await context.zendesk.integrationUserId()
  // Otherwise the Autotask side is read only for tickets that have work there: a ticket the export
  // brought back for PSA Link's own comment costs no Autotask request (issue 17).
  const needed = readAll ? group : group.filter((work) => needsAutotaskSide(context, connection, work, integrationUserId))
  // Tickets whose fields are pushed are read by the update (right before it, R6) and come back
  // as saved: one read instead of two. Not one that a merge note may move first.
  const pushedFirst = new Set(readAll ? [] : needed.filter((work) => !work.autotaskTicket && !hasMergeNote(work) && mayPushFields(work, connection)))
  if (pushedFirst.size > 0) await pushFieldChanges(context, connection, [...pushedFirst])
  const unread = needed.filter((work) => !work.autotaskTicket)
  if (unread.length > 0 && !readAll) {
    const found = new Map((await gateway.getTickets(unread.map((work) => work.link!.autotaskTicketId!))).map((ticket) => [ticket.id, ticket]))
    for (const work of unread) work.autotaskTicket = found.get(work.link!.autotaskTicketId!) ?? null
  }
  for (const work of needed) if (!work.autotaskTicket) await markBroken(context, connection, work)
  // Tickets left unread go on without their Autotask ticket: nothing below writes to it or plans
  // from it, and their stored snapshot stays as it is.
  const neededSet = new Set(needed)
  const active = group.filter((work) => work.autotaskTicket || !neededSet.has(work))
  if (active.length === 0) return

  // Notes: a full sync reads them all (but of a ticket this pass created: it has none yet);
  // otherwise only tickets with an interrupted note create need them.
  const needNotes = active.filter(
    (work) => (options.full && !work.notesComplete) || work.ledger.some((entry) => entry.state === 'pending' && entry.origin === 'zendesk'),
  )
  if (needNotes.length > 0 && !readAll) {
    const notes = groupBy(await gateway.findNotesByTicketIds(needNotes.map((work) => work.autotaskTicket!.id)), (note) => note.ticketId)
    for (const work of needNotes) addNotes(work, notes.get(work.autotaskTicket!.id))
  }
  // Asked only when a note create was interrupted (the gateway learns it once and stores it).
  const ownResourceId = needNotes.length > 0 ? await gateway.ownResourceId() : null
  for (const work of active) {
    work.ledger = await recoverPendingLedger(context.store, work.ledger, work.notes, work.comments, integrationUserId, ownResourceId)
  }
  await followAutotaskMerges(
    context,
    connection,
    active.filter((work) => !work.outcome),
  )
  // A link closed by a merge is done with; every other ticket goes on.
  const live = active.filter((work) => work.outcome?.state !== 'closed')

  // Field updates before notes, never beside them: an Autotask workflow rule set off by a note
  // ("Customer Note Added") must act on the updated ticket, not be overwritten by an update that
  // lands after it. Comments and notes go even when a field update failed: one problem must not
  // hold back the rest.
  await pushFieldChanges(
    context,
    connection,
    live.filter((work) => !pushedFirst.has(work)),
  )
  await mirrorNotesToAutotask(
    context,
    connection,
    live.filter((work) => work.comments),
  )
  await mirrorCommentsToZendesk(context, connection, live)
  await showLinksInZendesk(context, connection, live, options.nextCycleAt)

  const tickets = live.map((work) => work.autotaskTicket).filter((ticket): ticket is AutotaskTicket => ticket !== null)
  const accountNames = await gateway.accountNames([...new Set(tickets.map((ticket) => ticket.accountId))])
  // One statement for the group's links. A ticket left unread keeps its stored snapshot.
  await context.store.saveLinkSyncs(
    live.map((work) => {
      const ticket = work.autotaskTicket
      const snapshot = ticket
        ? buildAutotaskSnapshot(ticket, connection.picklists, accountNames.get(ticket.accountId) ?? null, gateway.ticketUrl(ticket.id))
        : undefined
      return {
        linkId: work.link!.id,
        synced: work.synced,
        snapshot,
        state: 'linked' as const,
        lastError: work.outcome?.state === 'error' ? work.outcome.message : null,
        zendeskWrittenAt: work.link!.zendeskOwnUpdateAt,
      }
    }),
  )
  for (const work of live) settle(work, { state: 'linked', message: null, retryAt: null })
}

/**
 * What a pass that is not a full sync reads before it decides which Autotask tickets it needs:
 * every ticket's ledger (one query), then the Zendesk comments of tickets whose Zendesk side
 * changed or whose comment write to Zendesk was interrupted (the ledger tells).
 */
async function readZendeskSide(context: SyncContext, group: TicketWork[]): Promise<void> {
  const ledger = groupBy(await context.store.getLedger(group.map((work) => work.link!.id)), (entry) => entry.ticketLinkId)
  for (const work of group) work.ledger = ledger.get(work.link!.id) ?? []
  const needsComments = (work: TicketWork) => work.zendeskChanged || work.ledger.some((entry) => entry.state === 'pending' && entry.origin === 'autotask')
  await readMissingComments(context.zendesk, group.filter(needsComments))
}

async function closeLink(context: SyncContext<TicketLinkStore>, work: TicketWork): Promise<void> {
  const message = 'This Zendesk ticket was deleted; the link is closed and the Autotask ticket is kept.'
  await context.store.saveLinkSync(work.link!.id, { synced: work.link!.synced, state: 'closed', lastError: null })
  settle(work, { state: 'closed', reason: 'deleted', message, retryAt: null })
}

async function markBroken(context: SyncContext<TicketLinkStore & SyncBookkeepingStore>, connection: ConnectionContext, work: TicketWork): Promise<void> {
  const message = `Autotask ticket ${work.link!.autotaskTicketNumber ?? work.link!.autotaskTicketId} was deleted or cannot be found; it is not recreated automatically.`
  await context.store.saveLinkSync(work.link!.id, { synced: work.link!.synced, state: 'broken', lastError: message })
  await context.store.recordProblem({
    zendeskAccountId: context.account.id,
    connectionId: connection.id,
    zendeskTicketId: work.ticket.id,
    autotaskTicketId: work.link!.autotaskTicketId,
    code: 'autotask_ticket_missing',
    message,
    remoteMessage: null,
    retryAt: null,
  })
  settle(work, { state: 'broken', message, retryAt: null })
}
