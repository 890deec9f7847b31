import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { EmulatorTicket } from './data'
import type { ZendeskEmulator } from './emulator'
import { badRequest } from './errors'
import { isoSeconds, presentChildEvent, presentTicket, unixSeconds } from './presenters'
import { pageTicketEvents } from './ticket-events-page'

/**
 * The Incremental Export API (`/api/v2/incremental/...`): the cursor-based ticket export and the
 * time-based ticket-events export, sharing Zendesk's 10-a-minute export limit. Registered by the
 * API routes, behind their authentication, latency and faults.
 */
export interface IncrementalExportContext {
  route(method: HTTPMethods, path: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void
  emulator: ZendeskEmulator
  apiBase(request: FastifyRequest): string
  /** Charges the shared incremental-export limit (throws the 429 when it is spent). */
  takeExportLimit(): void
}

type Query = Record<string, string | undefined>

function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null
  return Number(value)
}

/** A cursor in the shape Zendesk's look like: base64 of "<timestamp>.0||<position>|". */
function encodeExportCursor(sequence: number, timestamp: number): string {
  return Buffer.from(`${timestamp}.0||${sequence}|`).toString('base64')
}

function decodeExportCursor(cursor: string): number {
  const match = /\|\|(\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!match?.[1]) throw badRequest('InvalidPaginationParameter', 'Invalid cursor')
  return Number(match[1])
}

export function incrementalExportRoutes({ route, emulator, apiBase, takeExportLimit }: IncrementalExportContext): void {
  const store = () => emulator.state().store
  const cutoff = (): number => emulator.now().getTime() - emulator.exportLagSeconds() * 1000

  route('GET', '/incremental/tickets/cursor', async (request) => {
    takeExportLimit()
    const query = request.query as Query
    // Pages are sized by `per_page` (up to 1000); list-style `page[size]`/`page[after]`, which
    // general-purpose clients add to every request, are ignored here as Zendesk ignores them.
    const perPage = Math.min(1000, positiveInt(query.per_page) ?? 1000)
    const excludeDeleted = query.exclude_deleted === 'true'
    const limit = cutoff()
    const ordered = [...store().tickets.values()].sort((a, b) => a.exportSequence - b.exportSequence)
    let after: number
    if (query.cursor) {
      after = decodeExportCursor(query.cursor)
    } else {
      const startTime = query.start_time === undefined ? null : Number(query.start_time)
      if (startTime === null || !Number.isFinite(startTime)) throw badRequest('InvalidValue', 'start_time or cursor is required')
      if (startTime * 1000 > limit) throw badRequest('InvalidValue', 'Too recent start_time. Use a start_time older than 1 minute')
      const before = ordered.filter((ticket) => ticket.generatedAt.getTime() < startTime * 1000)
      after = before.reduce((max, ticket) => Math.max(max, ticket.exportSequence), 0)
    }
    // In change order, up to the first change still inside the lag (the last minute is left out).
    const visible: EmulatorTicket[] = []
    for (const ticket of ordered) {
      if (ticket.exportSequence <= after) continue
      if (ticket.generatedAt.getTime() > limit) break
      visible.push(ticket)
    }
    const page = visible.slice(0, perPage)
    const last = page[page.length - 1]
    const position = last ? last.exportSequence : after
    const afterCursor = encodeExportCursor(position, last ? unixSeconds(last.generatedAt) : Math.floor(limit / 1000))
    const base = apiBase(request)
    return {
      tickets: page.filter((ticket) => !(excludeDeleted && ticket.deleted)).map((ticket) => presentTicket(ticket, store(), base)),
      after_url: `${base}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(afterCursor)}`,
      after_cursor: afterCursor,
      before_url: null,
      before_cursor: null,
      end_of_stream: visible.length <= perPage,
    }
  })

  route('GET', '/incremental/ticket_events', async (request) => {
    takeExportLimit()
    const query = request.query as Query
    const startTime = query.start_time === undefined ? null : Number(query.start_time)
    if (startTime === null || !Number.isFinite(startTime)) throw badRequest('InvalidValue', 'start_time is required')
    const limit = cutoff()
    if (startTime * 1000 > limit) throw badRequest('InvalidValue', 'Too recent start_time. Use a start_time older than 1 minute')
    const perPage = Math.min(1000, positiveInt(query.per_page) ?? 1000)
    const includeComments = (query.include ?? '').split(',').includes('comment_events')
    const { audits: page, endTime, endOfStream } = pageTicketEvents(store().audits, startTime, limit, perPage)
    const include = includeComments ? '&include=comment_events' : ''
    return {
      ticket_events: page.map((audit) => ({
        id: audit.id,
        ticket_id: audit.ticketId,
        timestamp: unixSeconds(audit.createdAt),
        created_at: isoSeconds(audit.createdAt),
        updater_id: audit.authorId,
        via: 'Web service',
        system: { client: 'PSA Link sandbox', ip_address: '127.0.0.1' },
        metadata: { system: {}, custom: {} },
        event_type: 'Audit',
        child_events: audit.events.filter((event) => includeComments || event.type !== 'Comment').map(presentChildEvent),
      })),
      next_page: `${apiBase(request)}/api/v2/incremental/ticket_events.json?start_time=${endTime}${include}`,
      count: page.length,
      end_time: endTime,
      end_of_stream: endOfStream,
    }
  })
}
