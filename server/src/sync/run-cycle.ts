import type { AutotaskTicket } from './ports/autotask-gateway'
import { groupBy } from './group-by'
import type { ExportPosition } from './ports/zendesk-gateway'
import { withLeaseHeartbeat } from './lease-heartbeat'
import { ticketsOrDeleted } from './read-zendesk-tickets'
import { messageOf } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { syncTickets, type AutotaskPageReads } from './sync-tickets'

/** How far before its first cycle an account's export starts (Zendesk wants more than a minute). */
export const FIRST_EXPORT_LOOKBACK_SECONDS = 120

export interface CycleOptions {
  /** Seconds until the next cycle: when waiting tickets are looked at again. */
  intervalSeconds: number
  /** Autotask changes are re-read this far back (default: what the connection's gateway reports). */
  overlapSeconds?: number
  /** Tickets per engine batch: one Autotask create call takes 200, one query returns 500 rows. */
  batchSize?: number
  /** Tickets leased at a time (default HOLD_SIZE): a Sync now waits for one hold, never for a whole batch. */
  holdSize?: number
  /** Autotask changes further behind than this are scanned in slices of it, the watermark advanced after each. */
  sliceSeconds?: number
  /** How many dirty tickets one cycle retries. */
  dirtyLimit?: number
  /** Progress callback for long runs (admin utility). */
  onProgress?(progress: { phase: string; done: number }): void
}

/**
 * A hold is a page of at most 100 tickets: short enough that an agent's Sync now on one of them
 * is served in about the time of its own sync (issue 18), long enough for batched reads.
 */
export const HOLD_SIZE = 100
/** Tickets of the change scan held before its notes are read (a page's worth: see scanSlice). */
export const READ_AHEAD_TICKETS = 500
/** Tickets the scan left out as PSA Link's own writes, kept for the notes on them (about 2 MB at most). */
export const OWN_WRITES_HELD = 2000
/** More tickets written unseen than a scan query can name: the scan then reads every changed ticket. */
const WRITTEN_UNSEEN_LIMIT = 1000
/** Six hours of Autotask changes per slice when a connection is far behind (first cycle after an outage). */
const SLICE_SECONDS = 6 * 3600

/**
 * One cycle for one Zendesk account (sync/README.md R14, R15): Zendesk changes from the incremental
 * export, Autotask changes per connection by LastActivityDate, then the dirty list. The export
 * cursor and each watermark advance only after the work they cover is committed.
 */
export async function runCycle(context: SyncContext, options: CycleOptions): Promise<'ran' | 'busy'> {
  // Cycles never overlap, across instances too: a live cycle holds (and renews) this lease.
  if (!(await context.store.claimCycle(context.account.id, context.owner, context.leaseSeconds))) return 'busy'
  try {
    await withLeaseHeartbeat(context, () => cycleSteps(context, options))
    return 'ran'
  } finally {
    await context.store.releaseCycle(context.account.id, context.owner)
  }
}

async function cycleSteps(context: SyncContext, options: CycleOptions): Promise<void> {
  const batchSize = options.batchSize ?? 1000
  const nextCycleAt = new Date(context.now().getTime() + options.intervalSeconds * 1000)
  const seen = new Set<number>()

  // 1. Zendesk → the export, page by page, from the stored position.
  // An account's first cycle starts a little in the past: Zendesk refuses a start_time less than a
  // minute old ("Too recent start_time"), and older tickets are the backfill's work.
  let position: ExportPosition = (await context.store.getExportPosition(context.account.id)) ?? {
    startTime: Math.floor(context.now().getTime() / 1000) - FIRST_EXPORT_LOOKBACK_SECONDS,
  }
  for (;;) {
    const page = await context.zendesk.readTicketChanges(position)
    for (let start = 0; start < page.tickets.length; start += batchSize) {
      const batch = page.tickets.slice(start, start + batchSize)
      await syncTickets(context, {
        tickets: batch,
        full: false,
        zendeskChanged: new Set(batch.map((ticket) => ticket.id)),
        nextCycleAt,
        holdSize: options.holdSize ?? HOLD_SIZE,
      })
      for (const ticket of batch) seen.add(ticket.id)
      options.onProgress?.({ phase: 'zendesk', done: seen.size })
    }
    // Every ticket of the page has its outcome (and its place on the dirty list) committed.
    await context.store.advanceExportPosition(context.account.id, page.next, [])
    position = page.next
    if (page.endOfStream || page.tickets.length === 0) break
  }

  // 2. Autotask → changes per connection.
  for (const connection of context.connections) {
    if (!connection.ready || connection.paused) continue
    try {
      await syncAutotaskChanges(context, connection, options, nextCycleAt)
    } catch (error) {
      context.autotaskFailures.set(connection.id, messageOf(error))
      context.log.warn({ err: error, connection: connection.name }, `Autotask changes could not be read: ${messageOf(error)}`)
    }
  }

  // 3. The dirty list: tickets that could not be done before, each synced in full.
  const dirty = (await context.store.dueDirtyTickets(context.account.id, options.dirtyLimit ?? 500)).filter((id) => !seen.has(id))
  if (dirty.length > 0) {
    const tickets = await ticketsOrDeleted(context, dirty)
    await syncTickets(context, { tickets, full: true, nextCycleAt, holdSize: options.holdSize ?? HOLD_SIZE })
  }
}

/**
 * Autotask's changes for one connection, scanned page by page and never held whole: notes first
 * (each page's tickets synced with the notes seen), then tickets not already synced that way. Far
 * behind, the scan goes in time slices and the watermark advances after each slice's last page;
 * a crash mid-slice repeats the slice (idempotent writes), it never skips a change.
 */
async function syncAutotaskChanges(context: SyncContext, connection: ConnectionContext, options: CycleOptions, nextCycleAt: Date): Promise<void> {
  const scanStart = context.now()
  const overlapMs = (options.overlapSeconds ?? connection.gateway.scanOverlapSeconds(scanStart)) * 1000
  // Advance to the scan's start minus the overlap, never to the newest time seen: rows changed
  // while the scan paged by id would otherwise be skipped.
  const end = new Date(scanStart.getTime() - overlapMs)
  const sliceMs = (options.sliceSeconds ?? SLICE_SECONDS) * 1000
  let since = (await context.store.getNoteWatermark(connection.id)) ?? end
  const clock = await context.store.getScanClock(connection.id)
  const writtenSince = await ticketsWrittenUnseen(context, connection, clock.lastScanStartedAt)
  const done = { count: 0 }
  for (;;) {
    const until = scanStart.getTime() - since.getTime() > sliceMs ? new Date(since.getTime() + sliceMs) : undefined
    await scanSlice(context, connection, { since, until, writtenSince }, options, nextCycleAt, done)
    if (!until) break
    // Everything active before `until` is synced; what changes later gets a later LastActivityDate.
    const mark = new Date(until.getTime() - overlapMs)
    if (mark > since) await context.store.advanceNoteWatermark(connection.id, mark)
    since = until
  }
  // Every slice is done: this scan's start (the database's clock) bounds what the next one keeps in.
  await context.store.advanceNoteWatermark(connection.id, end, clock.now)
}

/**
 * The tickets PSA Link may have written to without having read them since (sync/README.md R11):
 * the ticket scan keeps them in even when PSA Link's resource touched them last, so a technician's
 * edit made before one of PSA Link's notes is not hidden behind it. A complete scan read every
 * other ticket PSA Link touched last after its own write (the write was confirmed before that scan
 * started), and a ticket update's answer is read by the pass that made it (a pass that did not
 * finish leaves its lease held, which keeps the ticket in). Undefined when unknown or too many:
 * then the scan reads every changed ticket.
 */
async function ticketsWrittenUnseen(context: SyncContext, connection: ConnectionContext, lastScanStartedAt: Date | null): Promise<number[] | undefined> {
  if (!lastScanStartedAt) return undefined
  // No slack: ledger completions and scan starts are stamped by one clock (the database's), a
  // completion is stamped after Autotask answered the create, and one not committed yet still reads
  // as pending (kept in). Slack would keep in the tail of a backfill that ended just before the scan.
  const ids = await context.store.ticketsWrittenSinceScan(connection.id, lastScanStartedAt, WRITTEN_UNSEEN_LIMIT)
  return ids.length < WRITTEN_UNSEEN_LIMIT ? ids : undefined
}

async function scanSlice(
  context: SyncContext,
  connection: ConnectionContext,
  slice: { since: Date; until?: Date; writtenSince?: readonly number[] },
  options: CycleOptions,
  nextCycleAt: Date,
  done: { count: number },
): Promise<void> {
  // Autotask ticket ids synced with their notes in this slice: the ticket scan skips them. Ids
  // only (a few bytes each), bounded by what changed in the slice.
  const synced = new Set<number>()
  // The ticket scan is read ahead of the notes until READ_AHEAD_TICKETS tickets are held: a note
  // moves its ticket's LastActivityDate, so a notes page's tickets are nearly always held and are
  // not read again by id (one that is not held still is). The gateway leaves PSA Link's own
  // writes out of the pages, so right after a backfill they are nearly empty and the read-ahead
  // spans the whole scan (issue 17). Memory stays flat: what is held is bounded.
  const held = new Map<number, AutotaskTicket>()
  // A technician's note followed by PSA Link's write on the same ticket (a pushed field) leaves
  // the ticket out of the scan: kept here, its notes need no read by id either.
  const ownWrites = new Map<number, AutotaskTicket>()
  let notesRead = false
  const keepOwnWrite = (ticket: AutotaskTicket) => {
    if (!notesRead && ownWrites.size < OWN_WRITES_HELD) ownWrites.set(ticket.id, ticket)
  }
  const ticketPages = connection.gateway.scanTicketsChangedSince(slice.since, slice.until, keepOwnWrite, slice.writtenSince)[Symbol.asyncIterator]()
  let scanDone = false
  while (held.size < READ_AHEAD_TICKETS) {
    const page = await ticketPages.next()
    if (page.done) {
      scanDone = true
      break
    }
    for (const ticket of page.value) held.set(ticket.id, ticket)
  }
  for await (const notes of connection.gateway.scanNotesChangedSince(slice.since, slice.until)) {
    const byTicket = groupBy(notes, (note) => note.ticketId)
    const tickets = new Map<number, AutotaskTicket>()
    for (const id of byTicket.keys()) {
      const ticket = held.get(id) ?? ownWrites.get(id)
      if (ticket) tickets.set(id, ticket)
    }
    await syncAutotaskPage(context, connection, { notes: byTicket, tickets }, options, nextCycleAt, done)
    for (const id of byTicket.keys()) synced.add(id)
  }
  const fresh = (tickets: Iterable<AutotaskTicket>) => new Map([...tickets].filter((ticket) => !synced.has(ticket.id)).map((ticket) => [ticket.id, ticket]))
  await syncAutotaskPage(context, connection, { tickets: fresh(held.values()) }, options, nextCycleAt, done)
  held.clear()
  notesRead = true
  ownWrites.clear()
  if (scanDone) return
  for (let page = await ticketPages.next(); !page.done; page = await ticketPages.next()) {
    await syncAutotaskPage(context, connection, { tickets: fresh(page.value) }, options, nextCycleAt, done)
  }
}

/** One page of an Autotask scan: its links looked up, the linked Zendesk tickets read and synced. */
async function syncAutotaskPage(
  context: SyncContext,
  connection: ConnectionContext,
  reads: AutotaskPageReads,
  options: CycleOptions,
  nextCycleAt: Date,
  done: { count: number },
): Promise<void> {
  const autotaskIds = [...(reads.notes ?? reads.tickets ?? new Map<number, unknown>()).keys()]
  if (autotaskIds.length === 0) return
  const links = (await context.store.findLinksByAutotaskIds(connection.id, autotaskIds)).filter((link) => link.state === 'linked')
  if (links.length === 0) return
  const zendeskTickets = await ticketsOrDeleted(
    context,
    links.map((link) => link.zendeskTicketId),
  )
  await syncTickets(context, {
    tickets: zendeskTickets,
    full: false,
    zendeskChanged: new Set(),
    autotask: new Map([[connection.id, reads]]),
    nextCycleAt,
    holdSize: options.holdSize ?? HOLD_SIZE,
  })
  done.count += zendeskTickets.length
  options.onProgress?.({ phase: `autotask:${connection.name}`, done: done.count })
}
