import type { FastifyPluginAsync } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ApiError, ManualLinkBody, SyncJobParams, SyncNowResponse, TicketParams, TicketStateQuery, TicketStateResponse } from '@psa-link/shared'
import { createManualLinksRepository } from '../../db/repositories/manual-links-repository'
import { createTicketViewRepository, decodeNotesCursor } from '../../db/repositories/ticket-view-repository'
import { createTicketWatchesRepository } from '../../db/repositories/ticket-watches-repository'
import { claimedUserId, createManualLink, ManualLinkError } from './manual-link'
import { createSyncNow } from './sync-now'
import { createTicketSyncJobs } from '../../jobs/ticket-sync-jobs'

export interface TicketRoutesOptions {
  /** How long Sync now waits for the sync before answering 202 with a job to poll. */
  syncWaitMs?: number
}

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 429: ApiError }
const security = [{ sidebarJwt: [] }]

/** The sidebar's reads, Sync now, and link by hand. Authentication (sidebar-auth) runs before every handler here. */
const ticketRoutes: FastifyPluginAsync<TicketRoutesOptions> = async (fastify, { syncWaitMs = 4000 }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const views = createTicketViewRepository(app.db.pool)
  const watches = createTicketWatchesRepository(app.db.pool)
  const jobs = createTicketSyncJobs(app.jobs)
  const syncNow = createSyncNow({
    engine: { requestTicketSync: app.ticketSync.request, waitForTicketSync: app.ticketSync.wait },
    findOpenJob: jobs.findOpen,
    waitMs: syncWaitMs,
  })
  const manualLink = createManualLink({
    engine: { contexts: app.syncContexts, store: app.syncStore },
    links: createManualLinksRepository(app.db.pool),
    policyOf: (accountId) => views.manualLinkPolicy(accountId),
  })

  /** The ticket's state; a ticket never seen is queued for a first sync (Zendesk reads only). */
  async function currentView(accountId: number, ticketId: number, notesCursor: string | null = null): Promise<TicketStateResponse> {
    const cursor = notesCursor === null ? null : decodeNotesCursor(notesCursor)
    if (notesCursor !== null && !cursor) throw badRequest('notesCursor is not a cursor this API gave out.')
    const [view, openJob] = await Promise.all([views.ticketView(accountId, ticketId, { notesCursor: cursor }), jobs.findOpen(accountId, ticketId)])
    if (view) return { ...view, syncing: view.syncing || openJob !== null }
    const notConfigured = await views.notConfiguredReason(accountId)
    if (!notConfigured) await app.ticketSync.request(accountId, ticketId, 'sidebar')
    return {
      zendeskTicketId: ticketId,
      state: notConfigured ? 'not_eligible' : 'pending',
      reason: notConfigured ? 'not_configured' : null,
      message: notConfigured ?? 'PSA Link has not synced this ticket yet; it is being checked now.',
      clusterId: null,
      autotask: null,
      lastSyncedAt: null,
      checkedAt: null,
      syncing: !notConfigured,
      nextAttemptAt: null,
      notes: { items: [], nextCursor: null },
      problems: [],
      candidates: [],
      waitingNotes: 0,
      manualLinkPolicy: await views.manualLinkPolicy(accountId),
    }
  }

  app.get(
    '/tickets/:zendeskTicketId',
    {
      schema: {
        summary: 'The sync state of one Zendesk ticket, answered from PostgreSQL (never from Autotask)',
        params: TicketParams,
        querystring: TicketStateQuery,
        security,
        response: { 200: TicketStateResponse, ...errors },
      },
    },
    async (request) => {
      const caller = request.sidebar!
      // An open sidebar reads every 20 s: its ticket's Autotask notes are scanned for while it does
      // (jobs/watched-notes-scan). A failed record costs only that speed-up, never the answer.
      await watches
        .watch(caller.accountId, request.params.zendeskTicketId)
        .catch((error: unknown) => request.log.warn({ err: error }, 'could not record the watched ticket'))
      return currentView(caller.accountId, request.params.zendeskTicketId, request.query.notesCursor ?? null)
    },
  )

  app.post(
    '/tickets/:zendeskTicketId/sync',
    {
      schema: {
        summary: 'Sync now: sync one ticket and answer its new state, or 202 with a job to poll',
        params: TicketParams,
        security,
        response: { 200: SyncNowResponse, 202: SyncNowResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { accountId } = request.sidebar!
      const ticketId = request.params.zendeskTicketId
      // Both reads at once: the click waits for neither twice.
      const [notConfigured, openJob] = await Promise.all([views.notConfiguredReason(accountId), jobs.findOpen(accountId, ticketId)])
      if (notConfigured) {
        return { status: 'done' as const, jobId: null, ticket: await currentView(accountId, ticketId) }
      }
      const result = await syncNow(accountId, ticketId, openJob)
      const ticket = await currentView(accountId, ticketId)
      return reply.status(result.status === 'done' ? 200 : 202).send({ ...result, ticket })
    },
  )

  /** After a link or unlink: the sync takes it from here (notes both ways); answer once it ran, or as it stands. */
  async function afterManualChange(accountId: number, ticketId: number): Promise<TicketStateResponse> {
    const jobId = await app.ticketSync.request(accountId, ticketId, 'manual_link')
    await app.ticketSync.wait(jobId, syncWaitMs)
    return currentView(accountId, ticketId)
  }

  app.post(
    '/tickets/:zendeskTicketId/link',
    {
      schema: {
        summary: 'Link by hand: link the ticket to an existing Autotask ticket by its number (audited)',
        description: 'Allowed by the Zendesk account’s `sidebar_manual_link` setting; with `admins`, the caller’s role is asked of Zendesk.',
        params: TicketParams,
        body: ManualLinkBody,
        security,
        response: { 200: TicketStateResponse, 409: ApiError, ...errors },
      },
    },
    async (request, reply) => {
      const { accountId } = request.sidebar!
      const ticketId = request.params.zendeskTicketId
      const refusal = await refusalOf(
        manualLink.link(accountId, ticketId, request.body.autotaskTicketNumber.toUpperCase(), claimedUserId(request.headers.authorization)),
      )
      if (refusal) return reply.status(refusal.statusCode).send(refusal)
      return afterManualChange(accountId, ticketId)
    },
  )

  app.post(
    '/tickets/:zendeskTicketId/unlink',
    {
      schema: {
        summary: 'Unlink by hand: nothing more is synced, both tickets are kept (audited)',
        params: TicketParams,
        security,
        response: { 200: TicketStateResponse, 409: ApiError, ...errors },
      },
    },
    async (request, reply) => {
      const { accountId } = request.sidebar!
      const ticketId = request.params.zendeskTicketId
      const refusal = await refusalOf(manualLink.unlink(accountId, ticketId, claimedUserId(request.headers.authorization)))
      if (refusal) return reply.status(refusal.statusCode).send(refusal)
      return currentView(accountId, ticketId)
    },
  )

  app.get(
    '/jobs/:jobId',
    {
      schema: {
        summary: 'Polls a queued Sync now: `done` with the ticket once the sync finished, else still `queued`',
        params: SyncJobParams,
        security,
        response: { 200: SyncNowResponse, ...errors },
      },
    },
    async (request, reply) => {
      const caller = request.sidebar!
      const job = await jobs.find(request.params.jobId)
      // Another tenant's or another ticket's job is answered exactly like a job that does not exist.
      if (!job || job.accountId !== caller.accountId || job.ticketId !== caller.ticketId) {
        return reply
          .status(404)
          .send({ statusCode: 404, error: 'Not Found', code: 'job_not_found', message: `No sync job ${request.params.jobId} for ticket ${caller.ticketId}.` })
      }
      const ticket = await currentView(caller.accountId, job.ticketId)
      return { status: job.finished ? ('done' as const) : ('queued' as const), jobId: job.id, ticket }
    },
  )
}

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: 'bad_request', name: 'Bad Request' })
}

export default ticketRoutes

/** The answer to a refused manual link or unlink (its own status and code), or null once it is made. */
async function refusalOf(change: Promise<void>): Promise<{ statusCode: number; error: string; code: string; message: string } | null> {
  try {
    await change
    return null
  } catch (error) {
    if (error instanceof ManualLinkError) return { statusCode: error.statusCode, error: error.name, code: error.code, message: error.message }
    throw error
  }
}
