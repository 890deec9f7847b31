import { sandboxCredentials } from '../../server/sandbox/src/autotask/autotask-emulator'
import { SANDBOX_CREDENTIALS } from '../../server/sandbox/src/zendesk/seed'

/**
 * People (agents, customers, technicians) acting through the services' own APIs over real HTTP,
 * the way real clients act for a person: Zendesk's `X-On-Behalf-Of` with an admin's OAuth token
 * that carries the `impersonate` scope, Autotask REST's `ImpersonationResourceId` header. What they
 * write is theirs in the emulators (author, creator), never PSA Link's integration user's.
 */

/**
 * An access token with the `impersonate` scope, made as the page "Making API requests on behalf of
 * end users" shows: the account's admin creates it with the OAuth Tokens API for the OAuth client
 * (whose resource id the OAuth Clients API lists). `zendeskBaseUrl`: the account's base URL, e.g.
 * http://127.0.0.1:PORT/sandbox/zendesk
 */
export async function zendeskImpersonationToken(zendeskBaseUrl: string): Promise<string> {
  const admin = `Bearer ${SANDBOX_CREDENTIALS.accessToken}`
  const clients = await fetch(`${zendeskBaseUrl}/api/v2/oauth/clients.json`, { headers: { authorization: admin } })
  const listed = (await clients.json()) as { clients?: Array<{ id: number; identifier: string }> }
  const client = listed.clients?.find((candidate) => candidate.identifier === SANDBOX_CREDENTIALS.oauthClientId)
  if (!clients.ok || !client) throw new Error(`no OAuth client ${SANDBOX_CREDENTIALS.oauthClientId}: ${clients.status} ${JSON.stringify(listed)}`)
  const response = await fetch(`${zendeskBaseUrl}/api/v2/oauth/tokens.json`, {
    method: 'POST',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ token: { client_id: client.id, scopes: ['impersonate', 'read', 'write'] } }),
  })
  const body = (await response.json()) as { token?: { token?: string } }
  if (!response.ok || typeof body.token?.token !== 'string') throw new Error(`no impersonation token: ${response.status} ${JSON.stringify(body)}`)
  return body.token.token
}

/** `person` null: the token's own user (the admin), not acting for anyone. */
async function zendeskCall(url: string, token: string, person: string | null, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(person === null ? {} : { 'x-on-behalf-of': person }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url} as ${person} answered ${response.status}: ${text}`)
  return JSON.parse(text) as Record<string, unknown>
}

export interface ZendeskCommentByPerson {
  ticketId: number
  /** The person's email (or Zendesk user id). */
  person: string
  body: string
  /** Agents only; a customer's comment is always public. Default true. */
  public?: boolean
}

/**
 * A comment written by a person: an agent comments through the Tickets API, a customer (end user)
 * through the Requests API, as Zendesk allows each. Returns the new comment's id.
 */
export async function postZendeskCommentAs(zendeskBaseUrl: string, comment: ZendeskCommentByPerson): Promise<number> {
  const token = await zendeskImpersonationToken(zendeskBaseUrl)
  const me = (await zendeskCall(`${zendeskBaseUrl}/api/v2/users/me.json`, token, comment.person, 'GET')).user as { role: string }
  if (me.role === 'end-user') {
    await zendeskCall(`${zendeskBaseUrl}/api/v2/requests/${comment.ticketId}.json`, token, comment.person, 'PUT', {
      request: { comment: { body: comment.body } },
    })
  } else {
    const answer = await zendeskCall(`${zendeskBaseUrl}/api/v2/tickets/${comment.ticketId}.json`, token, comment.person, 'PUT', {
      ticket: { comment: { body: comment.body, public: comment.public ?? true } },
    })
    const created = ((answer.audit as { events?: Array<{ type: string; id: number }> } | undefined)?.events ?? []).find((event) => event.type === 'Comment')
    if (created) return created.id
  }
  // The Requests API answers with the request, not the comment: find it in the ticket's comments.
  const list = await zendeskCall(`${zendeskBaseUrl}/api/v2/tickets/${comment.ticketId}/comments.json`, token, null, 'GET')
  const comments = list.comments as Array<{ id: number; body: string }>
  const mine = [...comments].reverse().find((candidate) => candidate.body === comment.body)
  if (!mine) throw new Error(`the comment of ${comment.person} is not on ticket ${comment.ticketId}`)
  return mine.id
}

/** `autotaskRestBase`: the REST root with its version, e.g. http://127.0.0.1:PORT/sandbox/autotask/ATServicesRest/V1.0/ */
function autotaskHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    ApiIntegrationCode: sandboxCredentials.integrationCode,
    UserName: sandboxCredentials.userName,
    Secret: sandboxCredentials.secret,
    ...extra,
  }
}

/** The id of the active Autotask resource (technician) with this email. */
export async function autotaskResourceIdByEmail(autotaskRestBase: string, email: string): Promise<number> {
  const response = await fetch(`${autotaskRestBase}Resources/query`, {
    method: 'POST',
    headers: autotaskHeaders(),
    body: JSON.stringify({ filter: [{ op: 'eq', field: 'email', value: email }], MaxRecords: 1 }),
  })
  const body = (await response.json()) as { items?: Array<{ id: number }> }
  const id = body.items?.[0]?.id
  if (!response.ok || id === undefined) throw new Error(`no Autotask resource ${email}: ${response.status} ${JSON.stringify(body)}`)
  return id
}

export interface AutotaskNoteByTechnician {
  ticketId: number
  resourceId: number
  title: string
  description: string
  /** NOTE_PUBLISH value; default 1 (All Autotask Users). */
  publish?: number
  /** NoteType picklist value; default 1. */
  noteType?: number
}

/** A ticket note written by a technician (ImpersonationResourceId); returns the note id. */
export async function addAutotaskNoteAs(autotaskRestBase: string, note: AutotaskNoteByTechnician): Promise<number> {
  const response = await fetch(`${autotaskRestBase}Tickets/${note.ticketId}/Notes`, {
    method: 'POST',
    headers: autotaskHeaders({ ImpersonationResourceId: String(note.resourceId) }),
    body: JSON.stringify({ title: note.title, description: note.description, noteType: note.noteType ?? 1, publish: note.publish ?? 1 }),
  })
  const body = (await response.json()) as { itemId?: number }
  if (!response.ok || typeof body.itemId !== 'number')
    throw new Error(`the note of resource ${note.resourceId} was refused: ${response.status} ${JSON.stringify(body)}`)
  return body.itemId
}
