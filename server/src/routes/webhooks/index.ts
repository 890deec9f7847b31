import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ApiError, WebhookParams, WebhookReceipt } from '@psa-link/shared'
import { verifyZendeskWebhookSignature } from '../../adapters/zendesk/verify-webhook-signature'
import { createWebhookRepository } from '../../db/repositories/webhook-repository'
import { zendeskTicketEvent } from './zendesk-ticket-event'

/**
 * Zendesk's ticket-event webhooks: a verified delivery queues a sync of its ticket (trigger
 * `webhook`); the scheduled cycle stays the backstop for anything a webhook missed. The stately
 * queue keeps one waiting job per ticket, so a repeated delivery joins the job already queued.
 */
const webhooksRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const accounts = createWebhookRepository(app.db.pool, app.secrets)
  const decoySecret = randomBytes(32).toString('base64')

  // The signature covers the raw bytes: keep the body as received, in this plugin only.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body))

  app.post(
    '/zendesk/:accountId',
    {
      schema: {
        summary: 'Receives Zendesk ticket events (signed with the webhook’s signing secret)',
        params: WebhookParams,
        response: { 200: WebhookReceipt, 400: ApiError, 401: ApiError },
      },
    },
    async (request, reply) => {
      const { accountId } = request.params
      request.log = request.log.child({ accountId })
      reply.log = request.log
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const account = await accounts.findWebhookAccount(accountId)
      // An account without a webhook (or no account at all) is checked against a secret nobody
      // has, so it is refused exactly as a forged signature is: the answer never tells which
      // account ids exist.
      const verdict = verifyZendeskWebhookSignature({
        signingSecret: account?.signingSecret ?? decoySecret,
        signature: headerOf(request.headers['x-zendesk-webhook-signature']),
        timestamp: headerOf(request.headers['x-zendesk-webhook-signature-timestamp']),
        rawBody,
      })
      if (!verdict.ok || !account?.signingSecret) {
        const reason = verdict.ok ? 'bad_signature' : verdict.reason
        const message = {
          missing: 'The X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp headers are required.',
          bad_signature: 'The webhook signature does not match this account’s signing secret.',
          stale_timestamp: 'The webhook timestamp is too far from now; the delivery is refused as a possible replay.',
        }[reason]
        request.log.warn({ accountId, reason, knownAccount: Boolean(account?.signingSecret) }, 'webhook refused')
        return reply.status(401).send({ statusCode: 401, error: 'Unauthorized', code: reason, message })
      }

      const event = zendeskTicketEvent(rawBody)
      if (event) {
        request.log = request.log.child({ ticketId: event.ticketId })
        reply.log = request.log
      }
      if (!event)
        return reply.status(400).send({
          statusCode: 400,
          error: 'Bad Request',
          code: 'not_a_ticket_event',
          message: 'The body is not a Zendesk ticket event (JSON with subject "zen:ticket:<id>").',
        })
      if (account.integrationUserId !== null && event.actorId === account.integrationUserId) {
        // PSA Link's own write coming back: syncing it again would only read what was just written.
        return { status: 'ignored' as const, jobId: null, reason: 'The change was made by PSA Link’s integration user.' }
      }
      const jobId = await app.ticketSync.request(accountId, event.ticketId, 'webhook')
      request.log.debug({ jobId }, 'webhook queued a ticket sync')
      return { status: 'queued' as const, jobId, reason: null }
    },
  )
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export default webhooksRoutes
