import type { AutotaskBudget, Backfill, BackfillProgress, BackfillStore } from './ports/backfill-store'
import type { TicketLinkStore } from './ports/ticket-link-store'
import type { CommentStaging } from './ports/comment-staging'
import type { CommentMethod } from './export-comments'
import type { ExportPosition, ZendeskTicket } from './ports/zendesk-gateway'
import { ASSUMED_EVENTS_PER_TICKET, exportCommentSource, exportPages, planCommentReads } from './export-comments'
import { withLeaseHeartbeat } from './lease-heartbeat'
import type { SyncContext } from './sync-context'
import { normalizeClusterId } from './sync-context'
import { syncTickets } from './sync-tickets'
import { FIRST_HOLD, holdSizes, LARGEST_HOLD, syncInOverlappingHolds, writesOneByOne } from './sync-overlapping-holds'
import { showsLinks } from './show-links-in-zendesk'
import { mulberry32 } from '@psa-link/shared'

/** One Autotask create call takes up to 200 entities; one query returns up to 500 rows (and takes 500 ids). */
const CREATE_BATCH = 200
const QUERY_ROWS = 500
/**
 * Tickets per backfill batch: 1,000 is five full create calls of 200 and two full read-backs of
 * 500 ids, so no call goes out part-empty (a batch of 200 read back 200 ids a query: 2.5 times
 * the read-backs). A Zendesk export page holds 1,000 tickets: one batch per page.
 */
const BACKFILL_BATCH = 1000
/** Share of the budget left to live syncs: a backfill runs behind them (PEERS.md C12). */
const DEFAULT_RESERVE_SHARE = 0.2
const DEFAULT_BUDGET_WAIT_MS = 5 * 60_000

export interface BackfillEstimate {
  /** Tickets with a Cluster ID, not yet linked, that a backfill would send (solved ones only if asked). */
  tickets: number
  /** Of those, how many have a Cluster ID that routes to exactly one ready connection. */
  routedTickets: number
  unroutedTickets: number
  /** Comments after the first of the routed tickets: each becomes one TicketNote. */
  notes: number
  alreadyLinked: number
  skippedSolved: number
  withoutClusterId: number
  autotaskRequests: number
  /** What the backfill itself will ask of Zendesk: the ticket export's pages (read twice: to count, then to work), its comments by the method it will choose and, when the account shows links in Zendesk, one update per ticket linked (the dry run's own requests are counted apart). */
  zendeskRequests: number
  /** How the backfill will read comments: the ticket-events export, or one read per ticket. */
  commentMethod: CommentMethod
  /** Routed tickets whose comments were read; `notes` is extrapolated from them when fewer than routedTickets. */
  sampledTickets: number
}

/**
 * Autotask requests a backfill spends to create `tickets` with `notes` on a connection whose create
 * call carries `perCreate` entities (SOAP 200, REST 1). Per batch of 1,000 tickets: the ticket
 * creates, their read-back (one query per 500 ids; on REST one per hold, as the batch's holds
 * overlap: sync-overlapping-holds.ts) and the note creates of that batch (the new tickets' notes
 * are not read: they have none). Once per run three more: the route query (a Cluster ID asked
 * once, then stored), the account names (then cached) and one of PSA Link's notes read to learn
 * the resource it writes as. Checked against the emulators before the holds overlapped: 250
 * tickets with 838 notes cost 1,092 requests on REST (one read-back; now five, one per hold);
 * 2,000 with 8,000 notes on SOAP, 57.
 */
export function estimateAutotaskRequests(tickets: number, notes: number, perCreate = CREATE_BATCH): number {
  if (tickets === 0) return 0
  const batches = Math.ceil(tickets / BACKFILL_BATCH)
  let requests = 3
  for (let batch = 0; batch < batches; batch += 1) {
    const batchTickets = Math.min(BACKFILL_BATCH, tickets - batch * BACKFILL_BATCH)
    const batchNotes = Math.round((notes * batchTickets) / tickets)
    const readBacks = perCreate === 1 ? holdSizes(batchTickets, FIRST_HOLD, LARGEST_HOLD).length : Math.ceil(batchTickets / QUERY_ROWS)
    requests += Math.ceil(batchTickets / perCreate) + readBacks + Math.ceil(batchNotes / perCreate)
  }
  return requests
}

function wanted(ticket: ZendeskTicket, includeSolved: boolean): 'ok' | 'no_cluster' | 'solved' | 'deleted' {
  if (ticket.status === 'deleted') return 'deleted'
  if (!ticket.clusterId) return 'no_cluster'
  if (!includeSolved && (ticket.status === 'solved' || ticket.status === 'closed')) return 'solved'
  return 'ok'
}

async function unlinked(context: SyncContext<TicketLinkStore>, tickets: ZendeskTicket[]): Promise<ZendeskTicket[]> {
  if (tickets.length === 0) return []
  const links = await context.store.getLinks(
    context.account.id,
    tickets.map((ticket) => ticket.id),
  )
  return tickets.filter((ticket) => !links.get(ticket.id)?.autotaskTicketId)
}

/** Reads the export from `startAt` to its end, handing every page's tickets to `visit`. */
async function scanExport(
  context: SyncContext<unknown>,
  from: ExportPosition,
  visit: (tickets: ZendeskTicket[], next: ExportPosition) => Promise<void>,
): Promise<void> {
  let position = from
  for (;;) {
    const page = await context.zendesk.readTicketChanges(position)
    await visit(page.tickets, page.next)
    position = page.next
    if (page.endOfStream || page.tickets.length === 0) return
  }
}

/**
 * The comment sample of a dry run: at least 50 routed tickets, more while the notes estimate is
 * still loose (its relative standard error above 5%, i.e. ±10% at about 95% confidence), at most
 * 500. Uniform data stops at 50 reads; a long-tailed queue (a few tickets with long threads)
 * needs a few hundred, and a fixed 50 would miss by 15-20%. Read 4 at a time.
 */
export const DRY_RUN_SAMPLE = 50
const DRY_RUN_SAMPLE_MAX = 500
const DRY_RUN_TARGET_ERROR = 0.05
const DRY_RUN_READS_AT_ONCE = 4

export interface DryRunOptions {
  /** The least routed tickets whose comments are read (a seeded random sample); all of them when fewer. */
  sampleSize?: number
  /** The most (default 500; at least sampleSize). */
  maxSampleSize?: number
  /** The sample's seed: the same seed and data give the same estimate. */
  seed?: number
  /** Called after every export page, for people watching a long count. */
  onProgress?(progress: { pages: number; ticketsScanned: number }): Promise<void> | void
}

/**
 * A dry run: what a backfill from `startAt` would create and what it would cost, without writing
 * anything. The export is counted page by page (nothing but counts and a bounded sample is kept);
 * routes are asked of Autotask once per new Cluster ID, as the backfill itself would; comments are
 * read for a seeded random sample of the routed tickets only, and notes extrapolated from it.
 */
export async function estimateBackfill(
  context: SyncContext<TicketLinkStore>,
  request: { startAt: Date; includeSolved: boolean },
  options: DryRunOptions = {},
): Promise<BackfillEstimate> {
  const estimate: BackfillEstimate = {
    tickets: 0,
    routedTickets: 0,
    unroutedTickets: 0,
    notes: 0,
    alreadyLinked: 0,
    skippedSolved: 0,
    withoutClusterId: 0,
    autotaskRequests: 0,
    zendeskRequests: 0,
    sampledTickets: 0,
    commentMethod: 'per-ticket',
  }
  const sampleSize = options.sampleSize ?? DRY_RUN_SAMPLE
  const maxSampleSize = Math.max(sampleSize, options.maxSampleSize ?? DRY_RUN_SAMPLE_MAX)
  const random = mulberry32(options.seed ?? 17)
  const sample: number[] = []
  // Active routes per normalised Cluster ID, across ready connections: bounded by the distinct
  // Cluster IDs, not by the tickets.
  const routeCounts = new Map<string, { count: number; connectionId: number | null }>()
  const routedByConnection = new Map<number, number>()
  const ready = context.connections.filter((candidate) => candidate.ready)
  let pages = 0
  let scanned = 0
  const busySeconds = activeSeconds()
  // Routed tickets created before the start: their first comments are not in the event export.
  let routedBeforeStart = 0
  await scanExport(context, { startTime: Math.floor(request.startAt.getTime() / 1000) }, async (tickets) => {
    pages += 1
    scanned += tickets.length
    for (const ticket of tickets) busySeconds.note(ticket, request.startAt)
    const kept: ZendeskTicket[] = []
    for (const ticket of tickets) {
      const verdict = wanted(ticket, request.includeSolved)
      if (verdict === 'no_cluster') estimate.withoutClusterId += 1
      else if (verdict === 'solved') estimate.skippedSolved += 1
      else if (verdict === 'ok') kept.push(ticket)
    }
    const fresh = await unlinked(context, kept)
    estimate.alreadyLinked += kept.length - fresh.length
    estimate.tickets += fresh.length

    const unknown = [...new Set(fresh.map((ticket) => normalizeClusterId(ticket.clusterId!)))].filter((clusterId) => !routeCounts.has(clusterId))
    for (const clusterId of unknown) routeCounts.set(clusterId, { count: 0, connectionId: null })
    for (const connection of ready) {
      for (let start = 0; start < unknown.length; start += QUERY_ROWS) {
        const routes = await connection.gateway.findRoutes(unknown.slice(start, start + QUERY_ROWS))
        for (const route of routes.filter((candidate) => candidate.active)) {
          const known = routeCounts.get(normalizeClusterId(route.referenceNumber))
          if (!known) continue
          known.count += 1
          known.connectionId = connection.id
        }
      }
    }
    for (const ticket of fresh) {
      const route = routeCounts.get(normalizeClusterId(ticket.clusterId!))
      if (route?.count !== 1) {
        estimate.unroutedTickets += 1
        continue
      }
      estimate.routedTickets += 1
      if (ticket.createdAt.getTime() < request.startAt.getTime()) routedBeforeStart += 1
      routedByConnection.set(route.connectionId!, (routedByConnection.get(route.connectionId!) ?? 0) + 1)
      // Reservoir sampling (algorithm R): every routed ticket is in the sample with equal chance.
      if (sample.length < maxSampleSize) sample.push(ticket.id)
      else {
        const slot = Math.floor(random() * estimate.routedTickets)
        if (slot < maxSampleSize) sample[slot] = ticket.id
      }
    }
    await options.onProgress?.({ pages, ticketsScanned: scanned })
  })

  // A reservoir's slots are not each uniform (early tickets sit in fixed slots): shuffled, any
  // prefix of it is a uniform sample, so reading can stop as soon as the estimate is tight enough.
  shuffle(sample, random)
  const notesPerTicket: number[] = []
  while (notesPerTicket.length < sample.length && !preciseEnough(notesPerTicket, sampleSize, estimate.routedTickets)) {
    const next = sample.slice(notesPerTicket.length, notesPerTicket.length + DRY_RUN_READS_AT_ONCE)
    const counts = await Promise.all(next.map(async (ticketId) => Math.max(0, (await context.zendesk.listComments(ticketId)).length - 1)))
    notesPerTicket.push(...counts)
  }
  estimate.sampledTickets = notesPerTicket.length
  const mean = notesPerTicket.length === 0 ? 0 : notesPerTicket.reduce((sum, notes) => sum + notes, 0) / notesPerTicket.length
  estimate.notes = Math.round(mean * estimate.routedTickets)
  // The backfill's own choice (same rule, same figures), then its requests by the sampled notes: every
  // scanned ticket's events are in the export window, its creation and one per comment.
  estimate.commentMethod = planCommentReads(estimate.tickets, estimate.tickets * ASSUMED_EVENTS_PER_TICKET).method
  const commentRequests =
    estimate.commentMethod === 'export' ? exportPages(scanned * (1 + mean), busySeconds.count()) + routedBeforeStart : estimate.routedTickets
  estimate.zendeskRequests = 2 * pages + commentRequests + (showsLinks(context) ? estimate.routedTickets : 0)
  // Each connection creates its share of the tickets (and, in proportion, of the notes) its own way.
  for (const connection of ready) {
    const tickets = routedByConnection.get(connection.id) ?? 0
    const notes = estimate.routedTickets === 0 ? 0 : Math.round((estimate.notes * tickets) / estimate.routedTickets)
    estimate.autotaskRequests += estimateAutotaskRequests(tickets, notes, connection.gateway.entitiesPerCreate)
  }
  return estimate
}

/** The distinct seconds the scanned tickets were created or changed in (bounded: a few MB at most). */
function activeSeconds() {
  const LIMIT = 200_000
  const seen = new Set<number>()
  const add = (date: Date) => {
    if (seen.size < LIMIT) seen.add(Math.floor(date.getTime() / 1000))
  }
  return {
    note(ticket: ZendeskTicket, startAt: Date) {
      if (ticket.createdAt.getTime() >= startAt.getTime()) add(ticket.createdAt)
      add(ticket.updatedAt)
    },
    count: () => seen.size,
  }
}

/** True once `sample` (notes per ticket) estimates the mean within the target relative standard error. */
function preciseEnough(sample: number[], least: number, population: number): boolean {
  const n = sample.length
  if (n < least) return false
  const mean = sample.reduce((sum, value) => sum + value, 0) / n
  if (mean === 0) return true
  const variance = sample.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)
  // Finite population correction: a sample of most of the tickets is nearly exact.
  const standardError = Math.sqrt(variance / n) * Math.sqrt(Math.max(0, 1 - n / population))
  return standardError / mean <= DRY_RUN_TARGET_ERROR
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1))
    ;[items[index], items[other]] = [items[other]!, items[index]!]
  }
}

export interface BackfillOptions {
  /** Tickets per engine batch (default 1,000: see BACKFILL_BATCH). */
  batchSize?: number
  reserveShare?: number
  /** How long to wait when the budget share is spent. */
  budgetWaitMs?: number
  intervalSeconds: number
  /**
   * Where comments taken from the ticket-events export wait for their batch; without it (or when
   * per-ticket reads are cheaper) every ticket's comments are read on their own.
   */
  commentStaging?: CommentStaging
}

export type BackfillResult = { state: 'succeeded' | 'paused' } | { state: 'waiting_budget'; resumeAt: Date } | { state: 'failed'; error: string }

/**
 * Runs (or resumes) a backfill: counts its tickets once, then reads the export from its own cursor
 * and syncs each batch of unlinked tickets in full through the engine — the same leases, ledger and
 * request gate as live syncs, so a resumed or repeated backfill never creates anything twice.
 * Stops between batches when an admin pauses it or when the budget share (less a reserve for live
 * syncs) cannot pay for the next batch.
 */
export async function runBackfill(context: SyncContext, store: BackfillStore, backfillId: number, options: BackfillOptions): Promise<BackfillResult> {
  const backfill = await store.getBackfill(backfillId)
  if (!backfill || backfill.accountId !== context.account.id) return { state: 'failed', error: `backfill ${backfillId} does not exist` }
  if (backfill.state === 'succeeded') return { state: 'succeeded' }
  if (backfill.state === 'failed') return { state: 'failed', error: 'this backfill has already failed; start a new one' }
  if (backfill.state === 'paused' || backfill.state === 'pausing') {
    await store.setState(backfill.id, 'paused')
    return { state: 'paused' }
  }
  const batchSize = options.batchSize ?? BACKFILL_BATCH
  const engine = withSolvedPolicy(context, backfill.includeSolved)
  // A batch's comment reads and creates can outlast the lease: renewed all along, a live backfill
  // never has its tickets thrown back mid-batch (a crashed one frees them within one lease).
  return withLeaseHeartbeat(engine, () => backfillSteps(engine, store, backfill, batchSize, options))
}

async function backfillSteps(
  engine: SyncContext,
  store: BackfillStore,
  backfill: Backfill,
  batchSize: number,
  options: BackfillOptions,
): Promise<BackfillResult> {
  try {
    let total = backfill.totalTickets
    if (total === null) {
      await store.setState(backfill.id, 'counting')
      let counted = 0
      await scanExport(engine, startPosition(backfill, true), async (tickets) => {
        counted += (
          await unlinked(
            engine,
            tickets.filter((ticket) => wanted(ticket, backfill.includeSolved) === 'ok'),
          )
        ).length
      })
      await store.saveTotal(backfill.id, counted)
      total = counted
    }
    await store.setState(backfill.id, 'running', { resumeAt: null })
    const comments = await prepareComments(engine, { ...backfill, totalTickets: total }, options.commentStaging)

    const progress: BackfillProgress = { ...backfill.progress }
    const nextCycleAt = () => new Date(engine.now().getTime() + options.intervalSeconds * 1000)
    let position = startPosition(backfill, false)
    const pauseRequested = async () => (await store.getBackfill(backfill.id))?.state === 'pausing'
    for (;;) {
      const page = await engine.zendesk.readTicketChanges(position)
      const todo = await unlinked(
        engine,
        page.tickets.filter((ticket) => wanted(ticket, backfill.includeSolved) === 'ok'),
      )
      for (let start = 0; start < todo.length; start += batchSize) {
        if (await pauseRequested()) {
          await store.setState(backfill.id, 'paused')
          return { state: 'paused' }
        }
        const batch = todo.slice(start, start + batchSize)
        const short = await budgetShortfall(engine, store, batch.length, options.reserveShare ?? DEFAULT_RESERVE_SHARE)
        if (short) {
          // The cursor still points at this page: what is done is linked and is skipped on re-read.
          const resumeAt = new Date(engine.now().getTime() + (options.budgetWaitMs ?? DEFAULT_BUDGET_WAIT_MS))
          await store.setState(backfill.id, 'waiting_budget', { resumeAt, error: short })
          return { state: 'waiting_budget', resumeAt }
        }
        const before = { ...engine.counts }
        const batchContext = comments ? await comments.forBatch(engine, batch) : engine
        // One entity a create call (REST): holds overlap, so notes go while later tickets are created.
        const outcomes = writesOneByOne(engine)
          ? await syncInOverlappingHolds(batchContext, batch, nextCycleAt())
          : await syncTickets(batchContext, { tickets: batch, full: true, nextCycleAt: nextCycleAt() })
        progress.ticketsDone += batch.length
        progress.ticketsCreated += engine.counts.ticketsCreated - before.ticketsCreated
        progress.notesCreated += engine.counts.notesToAutotask - before.notesToAutotask
        progress.ticketsFailed += [...outcomes.values()].filter((outcome) => outcome.state !== 'linked').length
        await store.saveProgress(backfill.id, progress)
      }
      // Every ticket of the page is committed: the next read starts after it.
      await store.saveProgress(backfill.id, progress, 'cursor' in page.next ? page.next.cursor : undefined)
      position = page.next
      if (page.endOfStream || page.tickets.length === 0) break
    }
    await options.commentStaging?.clear(engine.account.id, backfill.id)
    await store.setState(backfill.id, 'succeeded', { error: null, resumeAt: null })
    return { state: 'succeeded' }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await options.commentStaging?.clear(engine.account.id, backfill.id).catch(() => undefined)
    await store.setState(backfill.id, 'failed', { error: message })
    return { state: 'failed', error: message }
  }
}

/**
 * The backfill's comments from the ticket-events export when that is cheaper than a read per ticket
 * (export-comments.ts), or when staging began before a crash or a pause. Null: every ticket's
 * comments are read on their own.
 */
async function prepareComments(engine: SyncContext, backfill: Backfill, staging: CommentStaging | undefined) {
  if (!staging || !engine.zendesk.readCommentEvents) return null
  const begun = await staging.position(engine.account.id, backfill.id)
  const tickets = backfill.totalTickets ?? 0
  if (!begun && planCommentReads(tickets, tickets * ASSUMED_EVENTS_PER_TICKET).method !== 'export') return null
  return exportCommentSource(engine, staging, backfill.id, Math.floor(backfill.startAt.getTime() / 1000))
}

function startPosition(backfill: Backfill, fromStart: boolean): ExportPosition {
  if (!fromStart && backfill.exportCursor) return { cursor: backfill.exportCursor }
  return { startTime: Math.floor(backfill.startAt.getTime() / 1000) }
}

/** The admin's tick decides whether solved tickets are created, whatever the connection's setting. */
function withSolvedPolicy(context: SyncContext, includeSolved: boolean): SyncContext {
  return {
    ...context,
    connections: context.connections.map((connection) =>
      connection.mappings ? { ...connection, mappings: { ...connection.mappings, createForSolved: includeSolved } } : connection,
    ),
  }
}

/** Why the next batch cannot be paid for now, or null when every ready connection has room. */
async function budgetShortfall(context: SyncContext<unknown>, store: BackfillStore, tickets: number, reserveShare: number): Promise<string | null> {
  // Without notes counted per batch, assume one note per ticket: a conservative guess for the check.
  for (const connection of context.connections.filter((candidate) => candidate.ready && !candidate.paused)) {
    const needed = estimateAutotaskRequests(tickets, tickets, connection.gateway.entitiesPerCreate)
    const budget: AutotaskBudget = await store.autotaskBudget(connection.id)
    const available = budget.limit * (1 - reserveShare) - budget.used
    if (available < needed) {
      return `Autotask connection ${connection.name} has used ${budget.used} of ${budget.limit} requests this hour; the backfill waits so live syncs keep ${Math.round(reserveShare * 100)}% of the share.`
    }
  }
  return null
}
