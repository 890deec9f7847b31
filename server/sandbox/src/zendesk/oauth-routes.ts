import type { FastifyPluginAsync } from 'fastify'
import type { ZendeskEmulator } from './emulator'
import type { TokenRequest } from './oauth'

/**
 * Zendesk's OAuth endpoints: the token endpoint (JSON or form body, client credentials in the body
 * or as Basic) and a minimal authorization page a browser can approve, redirecting back to
 * `redirect_uri` with `code` and `state` like Zendesk's consent screen does.
 */
export interface OAuthRoutesOptions {
  emulator: ZendeskEmulator
}

type Query = Record<string, string | undefined>

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function basicClient(header: string | undefined): { id: string; secret: string } | null {
  if (!header || !/^basic /i.test(header)) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const separator = decoded.indexOf(':')
  return separator < 0 ? null : { id: decoded.slice(0, separator), secret: decoded.slice(separator + 1) }
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return url.toString()
}

const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async (fastify, { emulator }) => {
  fastify.post('/tokens', async (request, reply) => {
    const body = (request.body ?? {}) as TokenRequest
    const tokens = emulator.state().oauth.token(body, basicClient(request.headers.authorization))
    // Zendesk documents 201 Created for this endpoint (Create Token for Grant Type), not OAuth's usual 200.
    reply.code(201).header('cache-control', 'no-store')
    return tokens
  })

  fastify.get('/authorizations/new', async (request, reply) => {
    const query = request.query as Query
    const oauth = emulator.state().oauth
    const client = oauth.client(query.client_id ?? '')
    const redirectUri = query.redirect_uri ?? ''
    if (!client || !URL.canParse(redirectUri) || !oauth.redirectAllowed(client, redirectUri) || query.response_type !== 'code') {
      reply.code(400).type('text/html; charset=utf-8')
      return '<!doctype html><title>Invalid request</title><h1>Invalid OAuth request</h1><p>The client, redirect URI or response type is not valid.</p>'
    }
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query[name] ?? '')}">`)
      .join('')
    // Zendesk shows its consent page to whoever is signed in to the account; the emulator has no login,
    // so the person picks which of the account's staff they are (a stand-in, see SOURCES.md).
    const staff = [...emulator.state().store.users.values()].filter((user) => user.active && user.role !== 'end-user')
    const options = staff
      .map(
        (user) =>
          `<option value="${user.id}"${user.id === emulator.integrationUserId ? ' selected' : ''}>${escapeHtml(`${user.name} <${user.email}> (${user.role})`)}</option>`,
      )
      .join('')
    reply.type('text/html; charset=utf-8')
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(client.name)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto">
<h1>${escapeHtml(client.name)} would like to access your Zendesk account</h1>
<p>Account: <strong>${escapeHtml(emulator.subdomain)}</strong> (sandbox). Scope: <code>${escapeHtml(query.scope ?? 'read write')}</code>.</p>
<form method="post" action="${escapeHtml(fastify.prefix)}/authorizations">${hidden}
<p><label>Signed in as <select name="user_id">${options}</select></label></p>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></body></html>`
  })

  fastify.post('/authorizations', async (request, reply) => {
    const form = (request.body ?? {}) as Query
    const oauth = emulator.state().oauth
    const client = oauth.client(form.client_id ?? '')
    const redirectUri = form.redirect_uri ?? ''
    if (!client || !URL.canParse(redirectUri) || !oauth.redirectAllowed(client, redirectUri)) {
      return reply.code(400).type('text/html; charset=utf-8').send('<!doctype html><h1>Invalid OAuth request</h1>')
    }
    if (form.decision !== 'allow') {
      return reply.redirect(
        withParams(redirectUri, {
          error: 'access_denied',
          error_description: 'The resource owner or authorization server denied the request.',
          state: form.state,
        }),
      )
    }
    const chosen = emulator.state().store.users.get(Number(form.user_id))
    const user = chosen && chosen.active && chosen.role !== 'end-user' ? chosen : emulator.state().integrationUser
    const code = oauth.authorize({
      clientId: client.clientId,
      redirectUri,
      scope: form.scope || 'read write',
      userId: user.id,
      codeChallenge: form.code_challenge || null,
      codeChallengeMethod: form.code_challenge_method || null,
    })
    return reply.redirect(withParams(redirectUri, { code, state: form.state }))
  })
}

export default oauthRoutes
