import type { EmulatorState } from './emulator'
import { EmulatorError } from './errors'

/**
 * Zendesk's two accepted credentials: `Bearer <oauth token>` and Basic `email/token:API_TOKEN`.
 * The 401 bodies are the ones Zendesk sends for each kind.
 */
export interface Credential {
  userId: number
  /** The OAuth scope granted to a bearer token; null for an API token (Basic). */
  scope: string | null
}

export function invalidToken(): EmulatorError {
  return new EmulatorError(
    401,
    {
      error: 'invalid_token',
      error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
    },
    { 'www-authenticate': 'Bearer realm="Doorkeeper", error="invalid_token"' },
  )
}

export function authenticate(state: EmulatorState, authorization: string | undefined): Credential {
  const header = authorization ?? ''
  if (/^bearer /i.test(header)) {
    const token = state.oauth.accessToken(header.slice(7).trim())
    if (token === null) throw invalidToken()
    return token
  }
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
    const match = /^(.+)\/token:(.+)$/.exec(decoded)
    if (match && match[1] && state.apiTokens.get(match[1]) === match[2]) {
      const user = [...state.store.users.values()].find((candidate) => candidate.email === match[1])
      if (user?.active) return { userId: user.id, scope: null }
    }
  }
  throw new EmulatorError(401, { error: "Couldn't authenticate you" })
}
