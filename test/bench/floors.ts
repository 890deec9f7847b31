/**
 * What a sync *must* cost, whatever the engine does: the fewest Autotask and Zendesk requests a
 * phase needs (never PSA Link's own count; refused answers never raise it) and the least wall time
 * the vendors' limits and latencies allow for them. Pure arithmetic, unit-tested with hand-computed
 * cases (test/unit/bench-floors.test.ts), so the benchmark's ratios cannot flatter.
 *
 * Two floors come out of the same arithmetic. The *latency floor* charges each call the profile's
 * injected latency only, as if the remote services answered in no time. The *service floor* also
 * charges each call the remote service's own service time, measured by the emulators in their own
 * process (server/sandbox/src/service-clock.ts: from receipt to answer, the injected latency left
 * out; the process's CPU time in those stretches, so other processes sharing a loaded machine's
 * cores cannot raise it) — never the backend's time, and only for the MINIMUM calls: the mean per call kind (per
 * written entity for creates and updates) is taken from the phase's measured calls and applied to
 * the minimum's count, so PSA Link's extra calls never raise it. The vendors' parallelism is kept
 * (Autotask's 3 threads, Zendesk's overlapping reads), even though the emulators serve on one
 * thread: the service floor stays a floor.
 *
 * Sources: Autotask writes ≤ 200 entities per SOAP call and one per REST call, queries return ≤ 500
 * rows (and take ≤ 500 ids in one condition), 3 threads per integration and entity, 10,000
 * requests per rolling hour (AUTOTASK_FACTS.md §1.6, §3); an update writes every field, so the
 * ticket is read before it is updated. Zendesk: sliding one-minute windows of 700 requests
 * (Enterprise), 100 ticket updates and 10 incremental exports; export pages carry ≤ 1000 items
 * (ZENDESK_FACTS.md §4.2, §4.3; the emulator's limits.ts slides the same way).
 */
export type Transport = 'soap' | 'rest'

export const AUTOTASK_LIMITS = { soapWriteBatch: 200, queryRows: 500, threads: 3, hourlyRequests: 10_000 } as const
export const ZENDESK_LIMITS = {
  accountRequestsPerMinute: 700,
  ticketUpdatesPerMinute: 100,
  incrementalExportsPerMinute: 10,
  exportPageItems: 1000,
  windowSeconds: 60,
} as const

/** The Autotask work a phase must do, in entities. */
export interface AutotaskWork {
  ticketCreates: number
  noteCreates: number
  /** Autotask tickets whose fields change (each read before its update: updates write every field). */
  ticketUpdates: number
  /** Distinct Cluster IDs to route: an InstalledProduct query per 500 (the product names its account). */
  routeLookups: number
  /** Change scans the phase must make: each costs a query per 500 rows, and one even when empty. */
  scans?: Array<{ entity: string; rows: number }>
}

/** One kind of call: `count` calls to `entity`, `written` entities in them altogether (for per-entity latency). */
export interface AutotaskCalls {
  entity: string
  what: string
  operation: 'query' | 'create' | 'update'
  count: number
  written: number
  /** The remote service's own time for all `count` calls together (withAutotaskService); none by default. */
  serviceMs?: number
}

export interface AutotaskMinimum {
  total: number
  calls: AutotaskCalls[]
}

const pages = (rows: number, size: number) => (rows <= 0 ? 0 : Math.ceil(rows / size))

/**
 * The strict minimum of Autotask requests: ticket creates, one pooled read-back per 500 created
 * tickets (≤ 500 ids a query: the ticket numbers PSA Link shows), note creates, a read and a write
 * per batch of updated tickets, route queries and the change scans.
 */
export function autotaskMinimum(transport: Transport, work: AutotaskWork): AutotaskMinimum {
  const batch = transport === 'soap' ? AUTOTASK_LIMITS.soapWriteBatch : 1
  const rows = AUTOTASK_LIMITS.queryRows
  const wanted: AutotaskCalls[] = [
    { entity: 'InstalledProduct', what: 'route query', operation: 'query', count: pages(work.routeLookups, rows), written: 0 },
    { entity: 'Ticket', what: 'create', operation: 'create', count: pages(work.ticketCreates, batch), written: work.ticketCreates },
    { entity: 'Ticket', what: 'read-back', operation: 'query', count: pages(work.ticketCreates, rows), written: 0 },
    { entity: 'Ticket', what: 'read before update', operation: 'query', count: pages(work.ticketUpdates, rows), written: 0 },
    { entity: 'Ticket', what: 'update', operation: 'update', count: pages(work.ticketUpdates, batch), written: work.ticketUpdates },
    { entity: 'TicketNote', what: 'create', operation: 'create', count: pages(work.noteCreates, batch), written: work.noteCreates },
    ...(work.scans ?? []).map((scan): AutotaskCalls => ({
      entity: scan.entity,
      what: 'change scan',
      operation: 'query',
      count: Math.max(1, pages(scan.rows, rows)),
      written: 0,
    })),
  ]
  const calls = wanted.filter((call) => call.count > 0)
  return { total: calls.reduce((sum, call) => sum + call.count, 0), calls }
}

/**
 * Least seconds before the last of `requests` can be sent through a sliding window of `limit` per
 * `windowSeconds`: the first `limit` go at once, every further block of `limit` waits one more window.
 */
export function slidingWindowSeconds(requests: number, limit: number, windowSeconds: number): number {
  if (requests <= 0) return 0
  return (Math.ceil(requests / limit) - 1) * windowSeconds
}

/** Latencies of a profile: the mean of Zendesk's responses, Autotask's base and per written entity. */
export interface LatencyProfile {
  name: string
  zendeskMs: number
  autotaskMs: number
  autotaskPerEntityMs: number
}

/**
 * Least seconds for the Autotask minimum: each entity's calls share its 3 threads (entities run
 * side by side), a route query precedes the first ticket create, which precedes the first note
 * create (notes need the ticket's id), and the rolling hour admits 10,000 requests.
 */
export function autotaskFloorSeconds(minimum: AutotaskMinimum, profile: LatencyProfile, hourlyRequests: number = AUTOTASK_LIMITS.hourlyRequests): number {
  // All of a kind's calls, or (share 1/count) one of them: latency, per-entity latency, service time.
  const callMs = (call: AutotaskCalls, share: number) =>
    share * (call.count * profile.autotaskMs + call.written * profile.autotaskPerEntityMs + (call.serviceMs ?? 0))
  const busyMs = new Map<string, number>()
  for (const call of minimum.calls) busyMs.set(call.entity, (busyMs.get(call.entity) ?? 0) + callMs(call, 1))
  const threads = Math.max(0, ...[...busyMs.values()].map((ms) => ms / AUTOTASK_LIMITS.threads))
  const first = (entity: string, what: string) => {
    const call = minimum.calls.find((candidate) => candidate.entity === entity && candidate.what === what)
    return call ? callMs(call, 1 / call.count) : 0
  }
  const chain = first('InstalledProduct', 'route query') + first('Ticket', 'create') + first('TicketNote', 'create')
  // Each call also takes at least its own latency: the longest single call bounds the phase too.
  const longest = Math.max(0, ...minimum.calls.map((call) => callMs(call, 1 / call.count)))
  return slidingWindowSeconds(minimum.total, hourlyRequests, 3600) + Math.max(threads, chain, longest) / 1000
}

/**
 * What an emulator measured for one kind of call (its counters' `service`): calls served, their
 * service time by the wall clock and, when measured, the emulator's CPU time in the same
 * stretches, entities written. The CPU time is charged when there is one: on a loaded machine the
 * wall clock also counts time other processes had, which would raise the floor.
 */
export interface MeasuredService {
  requests: number
  ms: number
  cpuMs?: number
  written?: number
}

const spentMs = (seen: MeasuredService) => seen.cpuMs ?? seen.ms

/**
 * The minimum with each kind of call charged the remote service's mean time, taken from the
 * phase's measured calls of that kind (`operation:entity`): per written entity for creates and
 * updates (a batch's time grows with what it carries), per call for queries. A kind never
 * measured costs nothing: the floor errs low, never high.
 */
export function withAutotaskService(minimum: AutotaskMinimum, measured: Record<string, MeasuredService>): AutotaskMinimum {
  const calls = minimum.calls.map((call) => {
    const seen = measured[`${call.operation}:${call.entity}`]
    if (!seen || seen.requests === 0) return { ...call, serviceMs: 0 }
    const perEntity = call.operation === 'query' ? 0 : spentMs(seen) / Math.max(1, seen.written ?? 0)
    return { ...call, serviceMs: call.operation === 'query' ? call.count * (spentMs(seen) / seen.requests) : call.written * perEntity }
  })
  return { total: minimum.total, calls }
}

/** Seconds of remote service time in measured totals (every call the phase made, PSA Link's extra ones too): CPU, or `wall`. */
export const serviceSeconds = (measured: Record<string, MeasuredService>, reading: 'charged' | 'wall' = 'charged') =>
  Object.values(measured).reduce((total, seen) => total + (reading === 'wall' ? seen.ms : spentMs(seen)), 0) / 1000

/** The Zendesk work a phase must do. */
export interface ZendeskWork {
  /** Tickets the ticket export must return (at least one page is read even when nothing changed). */
  exportedTickets: number
  /** Tickets whose comments must be read, and how many comments each has. */
  commentTickets: number
  commentsPerTicket: number
  /** Ticket updates (a comment each: PSA Link's mirrored notes). */
  ticketUpdates: number
}

export interface ZendeskPlan {
  floorSeconds: number
  /** The cheapest plan within that floor: ticket export pages, ticket-event export pages, per-ticket comment reads, writes. */
  exportPages: number
  eventPages: number
  commentReads: number
  ticketUpdates: number
  requests: number
}

/** Milliseconds each kind of Zendesk call takes (latency, plus the service's own time for the service floor). */
export interface ZendeskCallMs {
  exportPage: number
  eventPage: number
  commentRead: number
  ticketUpdate: number
}

/** The counters' keys of the calls the Zendesk plan is made of. */
export const ZENDESK_CALL_KEYS: Record<keyof ZendeskCallMs, string> = {
  exportPage: 'GET /api/v2/incremental/tickets/cursor',
  eventPage: 'GET /api/v2/incremental/ticket_events',
  commentRead: 'GET /api/v2/tickets/:id/comments',
  ticketUpdate: 'PUT /api/v2/tickets/:id',
}

/** Each kind's latency plus the mean service time of the phase's measured calls of that kind (none measured: latency only). */
export function zendeskCallMs(latencyMs: number, measured: Record<string, MeasuredService>): ZendeskCallMs {
  const mean = (key: string) => {
    const seen = measured[key]
    return seen && seen.requests > 0 ? spentMs(seen) / seen.requests : 0
  }
  const keys = ZENDESK_CALL_KEYS
  return {
    exportPage: latencyMs + mean(keys.exportPage),
    eventPage: latencyMs + mean(keys.eventPage),
    commentRead: latencyMs + mean(keys.commentRead),
    ticketUpdate: latencyMs + mean(keys.ticketUpdate),
  }
}

/**
 * The fastest plan for Zendesk's side: comments come from the ticket-events export (≤ 1000 events a
 * page, a comment each, sharing the 10-per-minute export limit with the ticket export) or from
 * per-ticket reads (one request per ticket, no limit but the account's 700 per minute), mixed as
 * the windows allow. Zendesk has no concurrency limit, so reads of different tickets overlap; the
 * export pages follow one another (each names the next).
 */
export function zendeskPlan(work: ZendeskWork, latency: number | ZendeskCallMs): ZendeskPlan {
  const ms: ZendeskCallMs = typeof latency === 'number' ? { exportPage: latency, eventPage: latency, commentRead: latency, ticketUpdate: latency } : latency
  const {
    accountRequestsPerMinute: account,
    ticketUpdatesPerMinute: updates,
    incrementalExportsPerMinute: exports,
    exportPageItems,
    windowSeconds,
  } = ZENDESK_LIMITS
  const exportPages = Math.max(1, pages(work.exportedTickets, exportPageItems))
  const events = work.commentTickets * work.commentsPerTicket
  const ticketsPerEventPage = Math.max(1, Math.floor(exportPageItems / Math.max(1, work.commentsPerTicket)))
  for (let windows = 1; ; windows += 1) {
    const eventPages = Math.min(Math.max(0, windows * exports - exportPages), pages(events, exportPageItems))
    const commentReads = Math.max(0, work.commentTickets - eventPages * ticketsPerEventPage)
    const requests = exportPages + eventPages + commentReads + work.ticketUpdates
    const fits = exportPages <= windows * exports && requests <= windows * account && work.ticketUpdates <= windows * updates
    if (!fits) continue
    // The two exports' pages run as two chains; then one round of overlapping reads and writes.
    const roundMs = Math.max(commentReads > 0 ? ms.commentRead : 0, work.ticketUpdates > 0 ? ms.ticketUpdate : 0)
    const chainMs = Math.max(exportPages * ms.exportPage, eventPages * ms.eventPage) + roundMs
    return { floorSeconds: (windows - 1) * windowSeconds + chainMs / 1000, exportPages, eventPages, commentReads, ticketUpdates: work.ticketUpdates, requests }
  }
}
