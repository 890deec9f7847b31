import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { ZendeskEmulator } from './zendesk'
import { HISTORY_TAG, HISTORY_TICKETS, seedHistoricalTickets } from './zendesk/seed-history'
import { escapeHtml, sendHtmlPage } from './html-page'

/**
 * `/sandbox`: the sandbox's own page. It lists the emulated Zendesk tickets (each opens in the
 * agent preview) and holds the sandbox's actions: "Seed 200 historical tickets", so the admin
 * console's backfill can be watched. Plain HTML; the action is a same-origin form with a token.
 */
export interface SandboxPageOptions {
  zendesk: ZendeskEmulator
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const STYLE = `
  body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #2f3941; max-width: 760px; margin: 40px auto; padding: 0 20px; }
  h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px; }
  a { color: #1f73b7; } .muted { color: #49545c; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d8dcde; }
  button { background: #1f73b7; color: #fff; border: 0; border-radius: 4px; padding: 8px 16px; font: inherit; font-weight: 600; cursor: pointer; }
  button:focus-visible { outline: 3px solid #5293c7; outline-offset: 2px; }
  .notice { background: #edf8f4; border: 1px solid #aecfc2; border-radius: 4px; padding: 10px 12px; }
`

const sandboxPage: FastifyPluginAsync<SandboxPageOptions> = async (app, { zendesk }) => {
  const formToken = randomBytes(24).toString('base64url')
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.get('/sandbox', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const tickets = zendesk.tickets().filter((ticket) => !ticket.deleted)
    const history = tickets.filter((ticket) => ticket.tags.includes(HISTORY_TAG))
    const current = tickets.filter((ticket) => !ticket.tags.includes(HISTORY_TAG))
    const rows = current
      .map(
        (ticket) =>
          `<tr><td><a href="/sandbox/agent?ticket=${ticket.id}">#${ticket.id}</a></td><td>${escapeHtml(ticket.subject)}</td><td>${escapeHtml(ticket.status)}</td></tr>`,
      )
      .join('\n')
    const seeded = typeof query.seeded === 'string' && /^\d+$/.test(query.seeded) ? Number(query.seeded) : null
    const notice =
      seeded === null
        ? ''
        : `<p class="notice" role="status">${seeded > 0 ? `${seeded} historical tickets created.` : 'The historical tickets were there already; nothing was added.'} Open the admin console’s <a href="/admin/#/backfill">Backfill</a> page, keep the start date (30 days ago), run the dry run, then start the backfill and watch its progress.</p>`
    const historyState =
      history.length > 0
        ? `<p id="history-count">${history.length} historical tickets are in the Zendesk emulator. Seeding again adds none (it is idempotent).</p>`
        : `<p id="history-count">No historical tickets yet.</p>`
    return sendHtmlPage(
      reply,
      200,
      `<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>PSA Link sandbox</title><style>${STYLE}</style></head>
<body>
<h1>PSA Link sandbox</h1>
<p class="muted">Emulated Zendesk (subdomain ${escapeHtml(zendesk.subdomain)}) and Autotask, mounted because no real ones are configured. Never mounted in production. <a href="/">Back to the start page</a>.</p>
${notice}
<h2>Historical tickets for a backfill</h2>
<p>Creates ${HISTORY_TICKETS} Zendesk tickets written 2 to 28 days ago, with Cluster IDs (mostly known to Autotask, one in ten unknown) and a few agent replies each, some solved. PSA Link has not seen them: they are older than where it started reading Zendesk and no webhook announced them, so only a backfill links them.</p>
${historyState}
<form method="post" action="/sandbox/seed-history">
  <input type="hidden" name="token" value="${escapeHtml(formToken)}" />
  <button type="submit">Seed ${HISTORY_TICKETS} historical tickets</button>
</form>
<h2>Tickets</h2>
<p class="muted">Each opens in the agent preview: the sidebar app, the conversation and a reply box that writes as an agent. ${history.length > 0 ? `The ${history.length} historical tickets are left out here.` : ''}</p>
<table><thead><tr><th>Ticket</th><th>Subject</th><th>Status</th></tr></thead><tbody>
${rows}
</tbody></table>
</body>
</html>`,
    )
  })

  app.post('/sandbox/seed-history', async (request, reply) => {
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const origin = request.headers.origin
    if (!sameToken(form.token, formToken) || (origin !== undefined && origin !== `${request.protocol}://${request.host}`)) {
      return sendHtmlPage(
        reply,
        403,
        '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Refused</title></head><body><h1>Refused</h1><p>Seed from the sandbox page itself (/sandbox).</p></body></html>',
      )
    }
    const result = seedHistoricalTickets(zendesk)
    request.log.info({ created: result.created, total: result.total }, 'sandbox: historical tickets seeded')
    return reply.redirect(`/sandbox?seeded=${result.created}`, 303)
  })
}

export default sandboxPage
