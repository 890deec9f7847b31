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
  /** When the first ticket was made (default an hour ago): the history must lie in the past. */
  startAt?: string
  /** Time between two tickets (default 100 ms); a ticket's comments follow it a millisecond apart. */
  stepMs?: number
  /** Numbers subjects from here (seeding in several calls). */
  firstIndex?: number
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
    const start = body.startAt ? new Date(body.startAt).getTime() : Date.now() - 3_600_000
    const step = body.stepMs ?? 100
    const firstIndex = body.firstIndex ?? 0
    if (start + count * step > Date.now()) throw new Error('the seeded history would reach into the future: choose an earlier startAt or a smaller stepMs')
    const agent = emulator.agents()[0]!
    const requester = emulator.requester()
    const ids: number[] = []
    try {
      for (let number = 0; number < count; number += 1) {
        const index = firstIndex + number
        const at = start + number * step
        emulator.setNow(new Date(at))
        const ticket = emulator.createTicket({
          subject: `Bench ticket ${index}`,
          comment: { htmlBody: `<p>Problem report ${index}</p>`, public: true },
          requesterId: requester.id,
          clusterId: clusterIds[index % clusterIds.length]!,
          priority: 'normal',
        })
        for (let comment = 1; comment < comments; comment += 1) {
          emulator.setNow(new Date(at + comment))
          emulator.addComment(ticket.id, { body: `Update ${comment} on ${index}`, public: comment % 2 === 0, authorId: agent.id })
        }
        ids.push(ticket.id)
        // Stay responsive (and let the collector run) while a 100,000-ticket history is made.
        if (number % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      emulator.setNow(null)
    }
    return { count: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null }
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
