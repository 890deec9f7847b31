import type { AutotaskNote } from './ports/autotask-gateway'
import type { ExportPosition } from './ports/zendesk-gateway'
import { withLeaseHeartbeat } from './lease-heartbeat'
import { scanOverlapSeconds } from './scan-overlap'
import { ticketsOrDeleted } from './read-zendesk-tickets'
import { messageOf } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { syncTickets } from './sync-tickets'

export interface CycleOptions {
  /** Seconds until the next cycle: when waiting tickets are looked at again. */
  intervalSeconds: number
  /** Autotask changes are re-read this far back (default: scanOverlapSeconds, longer around DST changes). */
  overlapSeconds?: number
  /** Tickets per engine batch: one Autotask create call takes 200, one query returns 500 rows. */
  batchSize?: number
  /** How many dirty tickets one cycle retries. */
  dirtyLimit?: number
  /** Progress callback for long runs (admin utility). */
  onProgress?(progress: { phase: string; done: number }): void
}


/**
 * One cycle for one Zendesk account (DESIGN.md section 5): Zendesk changes from the incremental
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
  let position: ExportPosition = (await context.store.getExportPosition(context.account.id)) ?? { startTime: Math.floor(context.now().getTime() / 1000) }
  for (;;) {
    const page = await context.zendesk.readTicketChanges(position)
    for (let start = 0; start < page.tickets.length; start += batchSize) {
      const batch = page.tickets.slice(start, start + batchSize)
      await syncTickets(context, { tickets: batch, full: false, zendeskChanged: new Set(batch.map((ticket) => ticket.id)), nextCycleAt })
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
    await syncTickets(context, { tickets, full: true, nextCycleAt })
  }
}

async function syncAutotaskChanges(context: SyncContext, connection: ConnectionContext, options: CycleOptions, nextCycleAt: Date): Promise<void> {
  const scanStart = context.now()
  const overlapMs = (options.overlapSeconds ?? scanOverlapSeconds(scanStart)) * 1000
  const since = (await context.store.getNoteWatermark(connection.id)) ?? new Date(scanStart.getTime() - overlapMs)
  const [tickets, notes] = await Promise.all([connection.gateway.findTicketsChangedSince(since), connection.gateway.findNotesChangedSince(since)])
  const autotaskIds = [...new Set([...tickets.map((ticket) => ticket.id), ...notes.map((note) => note.ticketId)])]
  const links = (await context.store.findLinksByAutotaskIds(connection.id, autotaskIds)).filter((link) => link.state === 'linked')
  const zendeskIds = links.map((link) => link.zendeskTicketId)
  const notesByConnection = new Map<number, AutotaskNote[]>([[connection.id, notes]])
  const batchSize = options.batchSize ?? 1000
  for (let start = 0; start < zendeskIds.length; start += batchSize) {
    const ids = zendeskIds.slice(start, start + batchSize)
    const zendeskTickets = await ticketsOrDeleted(context, ids)
    await syncTickets(context, {
      tickets: zendeskTickets,
      full: false,
      zendeskChanged: new Set(),
      autotaskNotes: notesByConnection,
      autotaskTickets: new Map([[connection.id, tickets]]),
      nextCycleAt,
    })
    options.onProgress?.({ phase: `autotask:${connection.name}`, done: start + ids.length })
  }
  // Advance to the scan's start minus the overlap, never to the newest time seen: rows changed
  // while the scan paged by id would otherwise be skipped.
  await context.store.advanceNoteWatermark(connection.id, new Date(scanStart.getTime() - overlapMs))
}
