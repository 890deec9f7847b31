import type { FastifyPluginAsync } from 'fastify'
import { AdminError, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { readForm } from '../../admin/form-input'
import type { BackfillDryRun } from '../../db/repositories/backfill-dry-run-repository'
import { adminOf } from './admin-auth'

type Params = { Params: { id: string } }

function readRequest(body: unknown) {
  const form = readForm(body)
  const startAt = form.date('startDate', 'Start date')
  const includeSolved = form.boolean('includeSolved')
  if (startAt && startAt.getTime() > Date.now()) form.fail('startDate', 'The start date is in the future: nothing would be found.')
  else if (startAt && startAt.getUTCFullYear() < 2007) form.fail('startDate', 'Zendesk has no tickets before 2007; choose a later date.')
  form.done()
  return { startAt: startAt!, includeSolved }
}

/** Backfill: a dry run that counts and prices, then a resumable, budgeted run with progress. */
const backfillRoutes: FastifyPluginAsync = async (fastify) => {

  // The dry run is a job: the answer is its id at once; the console polls it for progress and result.
  fastify.post('/api/backfill/dry-run', async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const input = readRequest(request.body)
    const id = await fastify.startDryRun({ accountId: admin.accountId, adminUserId: admin.userId, ...input })
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_dry_run', details: { dryRunId: id, startAt: input.startAt, includeSolved: input.includeSolved } })
    return reply.status(202).send(dryRunView((await fastify.dryRuns.get(admin.accountId, id))!))
  })

  fastify.get<Params>('/api/backfill/dry-run/:id', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const dryRun = await fastify.dryRuns.get(admin.accountId, Number(request.params.id))
    if (!dryRun) throw notFound('That dry run')
    return dryRunView(dryRun)
  })

  /** The estimate with what it means in hours of the budget share, once the count is done. */
  function dryRunView(dryRun: BackfillDryRun) {
    const hourly = fastify.autotaskHourlyLimit
    const estimate = dryRun.result ? { ...dryRun.result, hourlyLimit: hourly, estimatedHours: Math.round((dryRun.result.autotaskRequests / hourly) * 100) / 100 } : null
    return { id: dryRun.id, state: dryRun.state, progress: dryRun.progress, error: dryRun.error, estimate }
  }

  fastify.get('/api/backfill', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    return { backfills: await fastify.backfills.list(admin.accountId, 10) }
  })

  fastify.post('/api/backfill', async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const input = readRequest(request.body)
    const estimate = (request.body as { estimate?: { routedTickets?: unknown; notes?: unknown; autotaskRequests?: unknown } } | null)?.estimate
    const known =
      estimate && typeof estimate.routedTickets === 'number' && typeof estimate.notes === 'number' && typeof estimate.autotaskRequests === 'number'
        ? { tickets: estimate.routedTickets, notes: estimate.notes, autotaskRequests: estimate.autotaskRequests }
        : null
    const id = await fastify.backfills.create({ accountId: admin.accountId, adminUserId: admin.userId, ...input, estimate: known })
    if (id === null) throw new AdminError(409, 'backfill_active', 'A backfill of this account is not finished yet: pause it or wait for it.')
    await fastify.enqueueBackfill(admin.accountId, id)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_started', details: { backfillId: id, startAt: input.startAt, includeSolved: input.includeSolved } })
    return reply.status(202).send(await fastify.backfills.get(admin.accountId, id))
  })

  fastify.post<Params>('/api/backfill/:id/pause', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const backfill = await fastify.backfills.get(admin.accountId, Number(request.params.id))
    if (!backfill) throw notFound('That backfill')
    await fastify.backfills.requestPause(backfill.id)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_paused', details: { backfillId: backfill.id } })
    return fastify.backfills.get(admin.accountId, backfill.id)
  })

  fastify.post<Params>('/api/backfill/:id/resume', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const backfill = await fastify.backfills.get(admin.accountId, Number(request.params.id))
    if (!backfill) throw notFound('That backfill')
    if (backfill.state !== 'paused' && backfill.state !== 'waiting_budget') throw new AdminError(409, 'not_paused', `This backfill is ${backfill.state.replace('_', ' ')}; only a paused one can be resumed.`)
    await fastify.backfills.markQueued(backfill.id)
    await fastify.enqueueBackfill(admin.accountId, backfill.id)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_resumed', details: { backfillId: backfill.id } })
    return fastify.backfills.get(admin.accountId, backfill.id)
  })
}

export default backfillRoutes
