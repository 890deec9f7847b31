import type { Credential } from './authenticate'
import { invalidToken } from './authenticate'
import type { EmulatorUser, ZendeskStore } from './data'
import { forbidden } from './errors'

/**
 * Acting for a person (developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/
 * making-api-requests-on-behalf-of-end-users): an admin's OAuth token that carries the
 * `impersonate` scope may send `X-On-Behalf-Of: <email or user id>`, and everything the request
 * creates or changes is that user's. Without the scope, with an API token or a non-admin token the
 * request is refused (403, as for any missing scope); a user that does not exist makes it fail as
 * invalid_token, as the page says.
 */
export function actingUser(store: ZendeskStore, credential: Credential, onBehalfOf: string | string[] | undefined): EmulatorUser {
  const owner = store.users.get(credential.userId)
  if (!owner) throw invalidToken()
  if (onBehalfOf === undefined) return owner
  const wanted = (Array.isArray(onBehalfOf) ? (onBehalfOf[0] ?? '') : onBehalfOf).trim()
  const scopes = (credential.scope ?? '').split(/\s+/)
  if (credential.scope === null || !scopes.includes('impersonate') || owner.role !== 'admin') throw forbidden()
  const user = /^\d+$/.test(wanted)
    ? store.users.get(Number(wanted))
    : [...store.users.values()].find((candidate) => candidate.email.toLowerCase() === wanted.toLowerCase())
  if (!user || !user.active) throw invalidToken()
  return user
}

/**
 * End users reach only their own requests and their profile ("Allowed For: End Users"); the
 * Tickets, export, field and webhook APIs are for agents and admins.
 */
export function endUserMayCall(path: string): boolean {
  return /^\/api\/v2\/(requests|users\/me)(\/|\.json|$)/.test(path)
}
