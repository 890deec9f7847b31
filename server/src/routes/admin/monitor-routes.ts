import {
  BulkRetryBody,
  BulkRetryReply,
  Done,
  IdParams,
  Monitor,
  ProblemList,
  ProblemsQuery,
  ResyncParams,
  ResyncReply,
  Timeline,
  TimelineQuery,
} from '@psa-link/shared/admin-api'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { scopeOf, type AdminPrincipal } from '../../admin/admin-principal'
import { problemTitle } from '../../admin/problem-titles'
import type { ProblemRow } from '../../db/repositories/admin-monitor-repository'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { zendeskTicketUrl } from './zendesk-ticket-url'

/** Zendesk's documented default for most plans' Support API (requests per minute). */
const ZENDESK_REQUESTS_PER_MINUTE = 700
const ZENDESK_WINDOW_MINUTES = 10
const PROBLEM_STATES = ['open', 'retrying', 'skipped', 'resolved']

/**
 * The monitor: cycle history, budget meters, the running work, the error inbox (retry, skip,
 * resolve, bulk retry), per-ticket timelines and a forced re-sync of one ticket.
 */
const monitorRoutes: AdminRoutesPlugin = async (fastify) => {
  const { monitor, audit } = fastify

  async function withLinks(admin: AdminPrincipal, problems: ProblemRow[]) {
    const url = await zendeskTicketUrl(fastify, admin.accountId)
    return problems.map((problem) => ({
      ...problem,
      title: problemTitle(problem.code, problem.message),
      zendeskUrl: problem.zendeskTicketId === null ? null : url(problem.zendeskTicketId),
    }))
  }

  async function retry(admin: AdminPrincipal, problem: ProblemRow): Promise<void> {
    if (problem.zendeskTicketId === null) throw new AdminError(409, 'not_ticket', 'This problem is not about one ticket; it is retried by the next cycle.')
    await monitor.setProblemState(problem.id, 'retrying')
    await fastify.ticketSync.request(admin.accountId, problem.zendeskTicketId, `admin-retry:${problem.zendeskTicketId}`)
  }

  fastify.get('/api/monitor', { schema: { response: { 200: Monitor } } }, async (request) => {
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
        zendesk:
          zendeskRequests === null
            ? null
            : {
                perMinute: Math.round((zendeskRequests / ZENDESK_WINDOW_MINUTES) * 10) / 10,
                limitPerMinute: ZENDESK_REQUESTS_PER_MINUTE,
                windowMinutes: ZENDESK_WINDOW_MINUTES,
              },
      },
      backfill: latestBackfill,
    }
  })

  fastify.get('/api/problems', { schema: { querystring: ProblemsQuery, response: { 200: ProblemList } } }, async (request) => {
    const admin = adminOf(request)
    const state = (request.query as ProblemsQuery).state ?? 'open'
    const states = state === 'all' ? PROBLEM_STATES : state === 'open' ? ['open', 'retrying'] : [state]
    return { problems: await withLinks(admin, await monitor.problems(scopeOf(admin), states, 200)) }
  })

  for (const action of ['retry', 'skip', 'resolve'] as const) {
    fastify.post(`/api/problems/:id/${action}`, { schema: { params: IdParams, response: { 200: Done } } }, async (request) => {
      const admin = adminOf(request)
      const problem = await monitor.problem(scopeOf(admin), request.params.id)
      if (!problem) throw notFound('That problem')
      if (action === 'retry') await retry(admin, problem)
      else {
        await monitor.setProblemState(problem.id, action === 'skip' ? 'skipped' : 'resolved')
        if (action === 'skip' && problem.zendeskTicketId !== null) await monitor.stopRetrying(admin.accountId, problem.zendeskTicketId)
      }
      await audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: `problem_${action}`,
        details: { problemId: problem.id, zendeskTicketId: problem.zendeskTicketId, ...(problem.connectionId ? { connectionId: problem.connectionId } : {}) },
      })
      return { ok: true }
    })
  }

  fastify.post('/api/problems/retry', { schema: { body: BulkRetryBody, response: { 200: BulkRetryReply } } }, async (request) => {
    const admin = adminOf(request)
    const { ids } = request.body
    let retried = 0
    for (const id of ids) {
      const problem = await monitor.problem(scopeOf(admin), id)
      if (!problem || problem.zendeskTicketId === null) continue
      await retry(admin, problem)
      retried += 1
    }
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'problems_bulk_retry',
      details: { requested: ids.length, retried, ...(admin.connectionId ? { connectionId: admin.connectionId } : {}) },
    })
    return { retried }
  })

  fastify.get('/api/timeline', { schema: { querystring: TimelineQuery, response: { 200: Timeline } } }, async (request) => {
    const admin = adminOf(request)
    const scope = scopeOf(admin)
    const zendeskTicketId = request.query.zendeskTicketId?.trim()
    const autotaskTicketNumber = request.query.autotaskTicketNumber?.trim()
    let ticketId: number | null = null
    if (zendeskTicketId) {
      ticketId = Number(zendeskTicketId)
    } else if (autotaskTicketNumber) {
      ticketId = await monitor.findZendeskTicketIdByAutotaskNumber(scope, autotaskTicketNumber)
      if (ticketId === null) throw notFound(`Autotask ticket ${autotaskTicketNumber}`)
    } else {
      throw invalidInput({ zendeskTicketId: 'Enter a Zendesk ticket id or an Autotask ticket number.' })
    }
    const timeline = await monitor.timeline(scope, ticketId)
    if (!timeline) throw notFound(`Zendesk ticket ${ticketId}`)
    const url = await zendeskTicketUrl(fastify, admin.accountId)
    return { ...timeline, zendeskUrl: url(ticketId), problems: await withLinks(admin, timeline.problems) }
  })

  fastify.post('/api/tickets/:id/resync', { schema: { params: ResyncParams, response: { 200: ResyncReply } } }, async (request) => {
    const admin = adminOf(request)
    const ticketId = request.params.id
    // A connection-limited admin may only force tickets that PSA Link already ties to their connection.
    if (admin.connectionId !== null && !(await monitor.timeline(scopeOf(admin), ticketId))) throw notFound(`Zendesk ticket ${ticketId}`)
    const jobId = await fastify.ticketSync.request(admin.accountId, ticketId, `admin-resync:${ticketId}`)
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'ticket_resync',
      details: { zendeskTicketId: ticketId, ...(admin.connectionId ? { connectionId: admin.connectionId } : {}) },
    })
    return { queued: true, jobId }
  })
}

export default monitorRoutes
