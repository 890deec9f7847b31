import { sandboxCredentials } from '../../server/sandbox/src/autotask/autotask-emulator'
import { SANDBOX_CREDENTIALS } from '../../server/sandbox/src/zendesk/seed'

/**
 * People (agents, customers, technicians) acting through the services' own APIs over real HTTP,
 * the way real clients act for a person: Zendesk's `X-On-Behalf-Of` with an admin's OAuth token
 * that carries the `impersonate` scope, Autotask REST's `ImpersonationResourceId` header. What they
 * write is theirs in the emulators (author, creator), never PSA Link's integration user's.
 */

/** `zendeskBaseUrl`: the account's base URL, e.g. http://127.0.0.1:PORT/sandbox/zendesk */
export async function zendeskImpersonationToken(zendeskBaseUrl: string): Promise<string> {
  const response = await fetch(`${zendeskBaseUrl}/oauth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: SANDBOX_CREDENTIALS.oauthClientId,
      client_secret: SANDBOX_CREDENTIALS.oauthClientSecret,
      scope: 'read write impersonate',
    }),
  })
  const body = (await response.json()) as { access_token?: string }
  if (!response.ok || typeof body.access_token !== 'string') throw new Error(`no impersonation token: ${response.status} ${JSON.stringify(body)}`)
  return body.access_token
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
    await zendeskCall(`${zendeskBaseUrl}/api/v2/requests/${comment.ticketId}.json`, token, comment.person, 'PUT', { request: { comment: { body: comment.body } } })
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
  if (!response.ok || typeof body.itemId !== 'number') throw new Error(`the note of resource ${note.resourceId} was refused: ${response.status} ${JSON.stringify(body)}`)
  return body.itemId
}
