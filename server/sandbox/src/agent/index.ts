import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import { renderMessagePage, renderPreviewPage } from './preview-page'
import type { PreviewTicket } from './preview-page'
import { proxyZafRequest } from './zendesk-proxy'
import type { ProxiedRequest } from './zendesk-proxy'

export type { PreviewComment, PreviewTicket } from './preview-page'

export interface PreviewInstallation {
  subdomain: string
  sharedSecret: string
  backendUrl: string
  clusterIdFieldId: number | null
}

export interface AgentPreviewOptions {
  /** The staged app: dist/zendesk-app (its assets/ is served to the iframe). */
  appDir: string
  getInstallation(): Promise<PreviewInstallation>
  getTicket(id: number): Promise<PreviewTicket | null>
  /** Called when the agent clicks Submit (e.g. to write the Cluster ID to the Zendesk emulator). */
  submitTicket?(id: number, changes: { clusterId: string | null }): Promise<void>
  /**
   * Called by the reply box: writes a comment as the signed-in agent (a person, so Zendesk's
   * webhooks tell PSA Link at once). Absent: the preview shows no reply box.
   */
  postComment?(id: number, comment: { body: string; public: boolean }): Promise<void>
  /** The signed-in agent the app sees as `currentUser`. */
  agent?: PreviewUser
  /** Who the preview is signed in as with `&as=admin` (a Zendesk admin). */
  admin?: PreviewUser
}

export interface PreviewUser {
  id: number
  name: string
  email: string
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
}

const APP_PATH = '/sandbox/agent/app/'
const DEFAULT_AGENT = { id: 1001, name: 'Preview Agent', email: 'agent@example.test' }
const DEFAULT_ADMIN = { id: 1002, name: 'Preview Admin', email: 'admin@example.test' }
/** Zendesk's locale names, e.g. en-US, de, pt-BR. */
const LOCALE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/

/** A browser's POST from another site names that site in Origin; the preview takes its own pages' only. */
function isCrossSite(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return false
  try {
    return new URL(origin).host !== host
  } catch {
    return true
  }
}

function parseTicketId(value: unknown): number | null {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/**
 * The agent-workspace preview: `GET /sandbox/agent?ticket=ID` lays a ticket out like Zendesk and
 * hosts the BUILT sidebar app in an iframe (served from another path), answering the ZAF SDK as
 * Zendesk does, `request` included: proxied server-side with the installation's secure settings.
 */
const agentPreview: FastifyPluginAsync<AgentPreviewOptions> = async (app, options) => {
  if (typeof options.appDir !== 'string' || options.appDir === '') throw new Error('agent preview: appDir is required')
  if (typeof options.getInstallation !== 'function' || typeof options.getTicket !== 'function') {
    throw new Error('agent preview: getInstallation and getTicket are required')
  }
  const appRoot = resolve(options.appDir)
  const agent = options.agent ?? DEFAULT_AGENT
  const admin = options.admin ?? DEFAULT_ADMIN
  // One app install for the preview's lifetime, like an installation id in Zendesk.
  const appGuid = randomUUID()

  app.get('/sandbox/agent', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const ticketId = parseTicketId(query['ticket'])
    // As in Zendesk: the agent's language, light or dark mode, and who is signed in.
    const colorScheme = query['colorScheme'] === 'dark' ? 'dark' : 'light'
    const locale = typeof query['locale'] === 'string' && LOCALE.test(query['locale']) ? query['locale'] : 'en'
    const asAdmin = query['as'] === 'admin'
    const user = asAdmin ? admin : agent
    if (ticketId === null) return reply.status(400).type('text/html').send(renderMessagePage('Bad request', 'Open /sandbox/agent?ticket=<Zendesk ticket id>.'))
    if (!existsSync(`${appRoot}/assets/iframe.html`)) {
      return reply
        .status(503)
        .type('text/html')
        .send(renderMessagePage('App not built', `No ${appRoot}/assets/iframe.html: run npm run build -w zendesk-app.`))
    }
    const [installation, ticket] = await Promise.all([options.getInstallation(), options.getTicket(ticketId)])
    if (!ticket)
      return reply
        .status(404)
        .type('text/html')
        .send(renderMessagePage('Ticket not found', `Ticket #${ticketId} does not exist.`))
    const settings: Record<string, string | number> = { backend_url: installation.backendUrl }
    if (installation.clusterIdFieldId !== null) settings['cluster_id_field_id'] = installation.clusterIdFieldId
    const config = {
      appGuid,
      appPath: `${APP_PATH}assets/iframe.html`,
      proxyUrl: '/sandbox/agent/proxy',
      submitUrl: `/sandbox/agent/tickets/${ticket.id}/submit`,
      clusterIdFieldId: installation.clusterIdFieldId,
      ticket: { id: ticket.id, subject: ticket.subject, status: ticket.status, priority: ticket.priority, requesterName: ticket.requesterName },
      colorScheme,
      currentUser: { id: user.id, name: user.name, email: user.email, locale, role: asAdmin ? 'admin' : 'agent', timeZone: { ianaName: 'UTC' } },
      // Secure settings (shared_secret) never reach the browser, as in Zendesk.
      metadata: { appId: 1, installationId: 1, name: 'PSA Link', version: 'preview', settings },
      context: { product: 'support', location: 'ticket_sidebar', instanceGuid: appGuid, ticketId: ticket.id, account: { subdomain: installation.subdomain } },
    }
    return reply
      .type('text/html')
      .header('cache-control', 'no-store')
      .send(
        renderPreviewPage({
          ticket,
          subdomain: installation.subdomain,
          clusterIdFieldId: installation.clusterIdFieldId,
          colorScheme,
          config,
          ...(options.postComment ? { replyAs: { name: agent.name, url: `/sandbox/agent/tickets/${ticket.id}/comments` } } : {}),
        }),
      )
  })

  app.get(`${APP_PATH}*`, async (request, reply) => {
    const relative = (request.params as { '*': string })['*']
    const file = resolve(appRoot, relative)
    if (!file.startsWith(appRoot + sep) || !existsSync(file))
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'No such app file' })
    const type = CONTENT_TYPES[extname(file)]
    if (!type) return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'No such app file' })
    return reply
      .type(type)
      .header('cache-control', 'no-store')
      .send(await readFile(file))
  })

  app.post('/sandbox/agent/proxy', async (request, reply) => {
    const body = request.body as { request?: ProxiedRequest } | undefined
    if (!body?.request || typeof body.request.url !== 'string')
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: 'request.url is required' })
    const installation = await options.getInstallation()
    const answer = await proxyZafRequest(body.request, {
      values: {
        backend_url: installation.backendUrl,
        shared_secret: installation.sharedSecret,
        ...(installation.clusterIdFieldId !== null ? { cluster_id_field_id: String(installation.clusterIdFieldId) } : {}),
      },
      secureNames: new Set(['shared_secret']),
      // The staged manifest whitelists the backend (PUBLIC_URL); the preview forwards to it alone.
      allowedOrigin: new URL(installation.backendUrl).origin,
    })
    return reply.send(answer)
  })

  app.post('/sandbox/agent/tickets/:id/submit', async (request, reply) => {
    const ticketId = parseTicketId((request.params as { id: string }).id)
    const clusterId = (request.body as { clusterId?: unknown } | undefined)?.clusterId
    if (ticketId === null || (clusterId !== null && typeof clusterId !== 'string')) {
      return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: 'A ticket id and a clusterId (string or null) are required' })
    }
    if (options.submitTicket) await options.submitTicket(ticketId, { clusterId })
    return reply.send({ ok: true })
  })

  app.post('/sandbox/agent/tickets/:id/comments', async (request, reply) => {
    if (!options.postComment) return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'This preview has no reply box' })
    if (isCrossSite(request.headers.origin, request.host))
      return reply.status(403).send({ statusCode: 403, error: 'Forbidden', message: 'Replies come from the preview page only' })
    const ticketId = parseTicketId((request.params as { id: string }).id)
    const body = request.body as { body?: unknown; public?: unknown } | undefined
    const text = typeof body?.body === 'string' ? body.body.trim() : ''
    if (ticketId === null || text === '' || text.length > 65_536 || typeof body?.public !== 'boolean') {
      return reply
        .status(400)
        .send({ statusCode: 400, error: 'Bad Request', message: 'A ticket id, a body (1 to 65,536 characters) and public (true or false) are required' })
    }
    if (!(await options.getTicket(ticketId)))
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `Ticket #${ticketId} does not exist` })
    try {
      await options.postComment(ticketId, { body: text, public: body.public })
    } catch (error) {
      // As Zendesk refuses it, e.g. a closed ticket takes no more comments.
      return reply.status(422).send({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `Zendesk did not take the comment: ${error instanceof Error ? error.message : String(error)}`,
      })
    }
    return reply.status(201).send({ ok: true })
  })
}

export default agentPreview
