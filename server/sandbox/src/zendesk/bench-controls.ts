import type { FastifyPluginAsync } from 'fastify'
import type { ZendeskEmulator } from './emulator'

/**
 * Controls for the benchmark, which runs the emulator in another process: seeding a history of
 * tickets in bulk (`POST /seed-tickets`, up to 100,000 tickets × 5 comments) and agents' edits
 * (`POST /agent-changes`). Emulator-only, not Zendesk's API (see SOURCES.md). Seed before PSA Link
 * runs: the clock is pinned in the past while tickets are made.
 */
export interface SeedTicketsBody {
  count: number
  commentsPerTicket?: number
  clusterIds?: string[]
  /** The history ends this many seconds ago (default 600) … */
  endSecondsAgo?: number
  /** … and starts this many seconds before its end (default 3600), tickets evenly spread. */
  spreadSeconds?: number
}

export interface AgentChangesBody {
  ticketIds: number[]
  subjectPrefix?: string
  comment?: string
}

const YIELD_EVERY = 500

const benchControls: FastifyPluginAsync<{ emulator: ZendeskEmulator }> = async (fastify, { emulator }) => {
  fastify.post<{ Body: SeedTicketsBody }>('/seed-tickets', async (request) => {
    const body = request.body
    const count = Math.max(0, Math.floor(Number(body.count)))
    const comments = Math.max(1, Math.floor(Number(body.commentsPerTicket ?? 5)))
    const clusterIds = body.clusterIds?.length ? body.clusterIds : ['CL-1001']
    const end = Date.now() - (body.endSecondsAgo ?? 600) * 1000
    const start = end - (body.spreadSeconds ?? 3600) * 1000
    const step = count > 1 ? (end - start) / count : 0
    const agent = emulator.agents()[0]!
    const requester = emulator.requester()
    const ids: number[] = []
    try {
      for (let index = 0; index < count; index += 1) {
        const at = start + index * step
        emulator.setNow(new Date(at))
        const ticket = emulator.createTicket({
          subject: `Bench ticket ${index}`,
          comment: { htmlBody: `<p>Problem report ${index}</p>`, public: true },
          requesterId: requester.id,
          clusterId: clusterIds[index % clusterIds.length]!,
          priority: 'normal',
        })
        for (let number = 1; number < comments; number += 1) {
          emulator.setNow(new Date(at + number))
          emulator.addComment(ticket.id, { body: `Update ${number} on ${index}`, public: number % 2 === 0, authorId: agent.id })
        }
        ids.push(ticket.id)
        // Stay responsive (and let the collector run) while a 100,000-ticket history is made.
        if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      emulator.setNow(null)
    }
    return { count: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null, startAt: new Date(start).toISOString(), endAt: new Date(end).toISOString() }
  })

  fastify.post<{ Body: AgentChangesBody }>('/agent-changes', async (request) => {
    const agent = emulator.agents()[0]!
    for (const [index, ticketId] of request.body.ticketIds.entries()) {
      emulator.updateTicket(ticketId, { subject: `${request.body.subjectPrefix ?? 'Bench ticket renamed'} ${index}` }, agent.id)
      if (request.body.comment !== undefined) emulator.addComment(ticketId, { body: `${request.body.comment} ${index}`, public: true, authorId: agent.id })
    }
    return { changed: request.body.ticketIds.length }
  })
}

export default benchControls
