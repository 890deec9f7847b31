import { Backfill, BackfillBody, BackfillList, DryRun, IdParams } from '@psa-link/shared/admin-api'
import { AdminError, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { fieldProblems } from '../../admin/field-problems'
import type { BackfillDryRun } from '../../db/repositories/backfill-dry-run-repository'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

/** The schema says a start date was typed; whether it is a date Zendesk can have tickets since is checked here. */
function readRequest(body: BackfillBody) {
  const form = fieldProblems()
  const startAt = new Date(body.startDate.trim())
  if (Number.isNaN(startAt.getTime())) form.add('startDate', 'Start date is not a date (use YYYY-MM-DD).')
  else if (startAt.getTime() > Date.now()) form.add('startDate', 'The start date is in the future: nothing would be found.')
  else if (startAt.getUTCFullYear() < 2007) form.add('startDate', 'Zendesk has no tickets before 2007; choose a later date.')
  form.throwIfAny()
  return { startAt, includeSolved: body.includeSolved === true }
}

/** Backfill: a dry run that counts and prices, then a resumable, budgeted run with progress. */
const backfillRoutes: AdminRoutesPlugin = async (fastify) => {
  // The dry run is a job: the answer is its id at once; the console polls it for progress and result.
  fastify.post(
    '/api/backfill/dry-run',
    { preValidation: accountAdminOnly, schema: { body: BackfillBody, response: { 202: DryRun } } },
    async (request, reply) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const input = readRequest(request.body)
      const id = await fastify.startDryRun({ accountId: admin.accountId, adminUserId: admin.userId, ...input })
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'backfill_dry_run',
        details: { dryRunId: id, startAt: input.startAt, includeSolved: input.includeSolved },
      })
      return reply.status(202).send(dryRunView((await fastify.dryRuns.get(admin.accountId, id))!))
    },
  )

  fastify.get('/api/backfill/dry-run/:id', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: DryRun } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const dryRun = await fastify.dryRuns.get(admin.accountId, request.params.id)
    if (!dryRun) throw notFound('That dry run')
    return dryRunView(dryRun)
  })

  /** The estimate with what it means in hours of the budget share, once the count is done. */
  function dryRunView(dryRun: BackfillDryRun) {
    const hourly = fastify.autotaskHourlyLimit
    const estimate = dryRun.result
      ? { ...dryRun.result, hourlyLimit: hourly, estimatedHours: Math.round((dryRun.result.autotaskRequests / hourly) * 100) / 100 }
      : null
    return { id: dryRun.id, state: dryRun.state, progress: dryRun.progress, error: dryRun.error, estimate }
  }

  fastify.get('/api/backfill', { schema: { response: { 200: BackfillList } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    return { backfills: await fastify.backfills.list(admin.accountId, 10) }
  })

  fastify.post('/api/backfill', { preValidation: accountAdminOnly, schema: { body: BackfillBody, response: { 202: Backfill } } }, async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const input = readRequest(request.body)
    const estimate = request.body.estimate
    const known = estimate ? { tickets: estimate.routedTickets, notes: estimate.notes, autotaskRequests: estimate.autotaskRequests } : null
    const id = await fastify.backfills.create({ accountId: admin.accountId, adminUserId: admin.userId, ...input, estimate: known })
    if (id === null) throw new AdminError(409, 'backfill_active', 'A backfill of this account is not finished yet: pause it or wait for it.')
    await fastify.enqueueBackfill(admin.accountId, id)
    await fastify.audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'backfill_started',
      details: { backfillId: id, startAt: input.startAt, includeSolved: input.includeSolved },
    })
    return reply.status(202).send(await fastify.backfills.get(admin.accountId, id))
  })

  fastify.post('/api/backfill/:id/pause', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Backfill } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const backfill = await fastify.backfills.get(admin.accountId, request.params.id)
    if (!backfill) throw notFound('That backfill')
    await fastify.backfills.requestPause(backfill.id)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_paused', details: { backfillId: backfill.id } })
    return fastify.backfills.get(admin.accountId, backfill.id)
  })

  fastify.post('/api/backfill/:id/resume', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Backfill } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const backfill = await fastify.backfills.get(admin.accountId, request.params.id)
    if (!backfill) throw notFound('That backfill')
    if (backfill.state !== 'paused' && backfill.state !== 'waiting_budget')
      throw new AdminError(409, 'not_paused', `This backfill is ${backfill.state.replace('_', ' ')}; only a paused one can be resumed.`)
    await fastify.backfills.markQueued(backfill.id)
    await fastify.enqueueBackfill(admin.accountId, backfill.id)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'backfill_resumed', details: { backfillId: backfill.id } })
    return fastify.backfills.get(admin.accountId, backfill.id)
  })
}

export default backfillRoutes
