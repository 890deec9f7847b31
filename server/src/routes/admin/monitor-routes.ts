import type { FastifyPluginAsync } from 'fastify'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { scopeOf, type AdminPrincipal } from '../../admin/admin-principal'
import { problemTitle } from '../../admin/problem-titles'
import type { ProblemRow } from '../../db/repositories/admin-monitor-repository'
import { adminOf } from './admin-auth'
import { zendeskTicketUrl } from './zendesk-ticket-url'

type Params = { Params: { id: string } }

/** Zendesk's documented default for most plans' Support API (requests per minute). */
const ZENDESK_REQUESTS_PER_MINUTE = 700
const ZENDESK_WINDOW_MINUTES = 10
const PROBLEM_STATES = ['open', 'retrying', 'skipped', 'resolved']

/**
 * The monitor: cycle history, budget meters, the running work, the error inbox (retry, skip,
 * resolve, bulk retry), per-ticket timelines and a forced re-sync of one ticket.
 */
const monitorRoutes: FastifyPluginAsync = async (fastify) => {
  const { monitor, audit } = fastify

  async function withLinks(admin: AdminPrincipal, problems: ProblemRow[]) {
    const url = await zendeskTicketUrl(fastify, admin.accountId)
    return problems.map((problem) => ({ ...problem, title: problemTitle(problem.code, problem.message), zendeskUrl: problem.zendeskTicketId === null ? null : url(problem.zendeskTicketId) }))
  }

  async function retry(admin: AdminPrincipal, problem: ProblemRow): Promise<void> {
    if (problem.zendeskTicketId === null) throw new AdminError(409, 'not_ticket', 'This problem is not about one ticket; it is retried by the next cycle.')
    await monitor.setProblemState(problem.id, 'retrying')
    await fastify.ticketSync.request(admin.accountId, problem.zendeskTicketId, `admin-retry:${problem.zendeskTicketId}`)
  }

  fastify.get('/api/monitor', async (request) => {
    const admin = adminOf(request)
    const scope = scopeOf(admin)
    const [runs, usage, zendeskRequests] = await Promise.all([
      monitor.runs(scope, 60),
      monitor.autotaskUsage(scope),
      admin.connectionId === null ? monitor.zendeskRequests(admin.accountId, ZENDESK_WINDOW_MINUTES) : Promise.resolve(null),
    ])
    const latestBackfill = admin.connectionId === null ? ((await fastify.backfills.list(admin.accountId, 1))[0] ?? null) : null
    return {
      runs,
      running: runs.filter((run) => run.status === 'running').map((run) => ({ ...run, elapsedMs: Date.now() - run.startedAt.getTime() })),
      budget: {
        autotask: usage.map((entry) => ({ ...entry, limit: fastify.autotaskHourlyLimit })),
        zendesk: zendeskRequests === null ? null : { perMinute: Math.round((zendeskRequests / ZENDESK_WINDOW_MINUTES) * 10) / 10, limitPerMinute: ZENDESK_REQUESTS_PER_MINUTE, windowMinutes: ZENDESK_WINDOW_MINUTES },
      },
      backfill: latestBackfill,
    }
  })

  fastify.get<{ Querystring: { state?: string } }>('/api/problems', async (request) => {
    const admin = adminOf(request)
    const state = request.query.state ?? 'open'
    if (state !== 'all' && !PROBLEM_STATES.includes(state)) throw invalidInput({ state: `Choose one of ${PROBLEM_STATES.join(', ')} or all.` })
    const states = state === 'all' ? PROBLEM_STATES : state === 'open' ? ['open', 'retrying'] : [state]
    return { problems: await withLinks(admin, await monitor.problems(scopeOf(admin), states, 200)) }
  })

  for (const action of ['retry', 'skip', 'resolve'] as const) {
    fastify.post<Params>(`/api/problems/:id/${action}`, async (request) => {
      const admin = adminOf(request)
      const problem = await monitor.problem(scopeOf(admin), Number(request.params.id))
      if (!problem) throw notFound('That problem')
      if (action === 'retry') await retry(admin, problem)
      else {
        await monitor.setProblemState(problem.id, action === 'skip' ? 'skipped' : 'resolved')
        if (action === 'skip' && problem.zendeskTicketId !== null) await monitor.stopRetrying(admin.accountId, problem.zendeskTicketId)
      }
      await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: `problem_${action}`, details: { problemId: problem.id, zendeskTicketId: problem.zendeskTicketId, ...(problem.connectionId ? { connectionId: problem.connectionId } : {}) } })
      return { ok: true }
    })
  }

  fastify.post('/api/problems/retry', async (request) => {
    const admin = adminOf(request)
    const ids = (request.body as { ids?: unknown } | null)?.ids
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 200 || !ids.every((id) => Number.isSafeInteger(id))) throw invalidInput({ ids: 'Select between 1 and 200 problems.' })
    let retried = 0
    for (const id of ids as number[]) {
      const problem = await monitor.problem(scopeOf(admin), id)
      if (!problem || problem.zendeskTicketId === null) continue
      await retry(admin, problem)
      retried += 1
    }
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'problems_bulk_retry', details: { requested: ids.length, retried, ...(admin.connectionId ? { connectionId: admin.connectionId } : {}) } })
    return { retried }
  })

  fastify.get<{ Querystring: { zendeskTicketId?: string; autotaskTicketNumber?: string } }>('/api/timeline', async (request) => {
    const admin = adminOf(request)
    const scope = scopeOf(admin)
    const { zendeskTicketId, autotaskTicketNumber } = request.query
    let ticketId: number | null = null
    if (zendeskTicketId) {
      ticketId = /^\d{1,15}$/.test(zendeskTicketId.trim()) ? Number(zendeskTicketId) : null
      if (ticketId === null) throw invalidInput({ zendeskTicketId: 'A Zendesk ticket id is a number, e.g. 1234.' })
    } else if (autotaskTicketNumber) {
      if (!/^T\d{8}\.\d{4}$/i.test(autotaskTicketNumber.trim())) throw invalidInput({ autotaskTicketNumber: 'An Autotask ticket number looks like T20240131.0042.' })
      ticketId = await monitor.findZendeskTicketIdByAutotaskNumber(scope, autotaskTicketNumber)
      if (ticketId === null) throw notFound(`Autotask ticket ${autotaskTicketNumber.trim()}`)
    } else {
      throw invalidInput({ zendeskTicketId: 'Enter a Zendesk ticket id or an Autotask ticket number.' })
    }
    const timeline = await monitor.timeline(scope, ticketId)
    if (!timeline) throw notFound(`Zendesk ticket ${ticketId}`)
    const url = await zendeskTicketUrl(fastify, admin.accountId)
    return { ...timeline, zendeskUrl: url(ticketId), problems: await withLinks(admin, timeline.problems) }
  })

  fastify.post<Params>('/api/tickets/:id/resync', async (request) => {
    const admin = adminOf(request)
    const ticketId = Number(request.params.id)
    if (!Number.isSafeInteger(ticketId) || ticketId <= 0) throw invalidInput({ zendeskTicketId: 'A Zendesk ticket id is a number, e.g. 1234.' })
    // A connection-limited admin may only force tickets that PSA Link already ties to their connection.
    if (admin.connectionId !== null && !(await monitor.timeline(scopeOf(admin), ticketId))) throw notFound(`Zendesk ticket ${ticketId}`)
    const jobId = await fastify.ticketSync.request(admin.accountId, ticketId, `admin-resync:${ticketId}`)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'ticket_resync', details: { zendeskTicketId: ticketId, ...(admin.connectionId ? { connectionId: admin.connectionId } : {}) } })
    return { queued: true, jobId }
  })
}

export default monitorRoutes
