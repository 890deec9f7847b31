import { IntegrationError } from '../../errors/integration-error'
import { refreshAccessToken, requestClientCredentialsToken } from './zendesk-oauth'
import type { ZendeskTokens } from './zendesk-oauth'

/**
 * The credentials a client sends. OAuth first: a token is refreshed shortly before it expires and
 * once more when Zendesk answers 401; with only a client id and secret, a client-credentials token
 * is fetched on first use. Basic `email/token:TOKEN` still works until Zendesk retires API tokens.
 */
export interface ZendeskOAuthAuth {
  type: 'oauth'
  accessToken?: string
  refreshToken?: string | null
  expiresAt?: Date | string | null
  clientId?: string
  clientSecret?: string
  scope?: string
  /** Called after every refresh: persist the tokens (the old refresh token no longer works). */
  onTokensRefreshed?: (tokens: ZendeskTokens) => void | Promise<void>
}

export interface ZendeskBasicAuth {
  type: 'basic'
  email: string
  apiToken: string
}

export type ZendeskAuth = ZendeskOAuthAuth | ZendeskBasicAuth

export interface AuthProvider {
  header(): Promise<string>
  /** After a 401: true when fresh credentials were obtained and the request may be sent once more. */
  recoverFromUnauthorized(rejectedHeader: string): Promise<boolean>
}

/** Refresh this long before the stated expiry, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 60_000

export function createAuthProvider(auth: ZendeskAuth, baseUrl: string, now: () => Date, timeoutMs: number): AuthProvider {
  if (auth.type === 'basic') {
    const header = `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`).toString('base64')}`
    return { header: async () => header, recoverFromUnauthorized: async () => false }
  }
  const oauth: ZendeskOAuthAuth = auth
  let accessToken = oauth.accessToken ?? null
  let refreshToken = oauth.refreshToken ?? null
  let expiresAt = oauth.expiresAt ? new Date(oauth.expiresAt) : null
  let refreshing: Promise<void> | null = null
  const canRefresh = (): boolean => Boolean(oauth.clientId && oauth.clientSecret)

  async function refresh(): Promise<void> {
    if (!oauth.clientId || !oauth.clientSecret) {
      throw new IntegrationError({
        system: 'zendesk',
        code: 'unauthorized',
        retryable: false,
        remoteMessage: 'The Zendesk access token expired and no OAuth client is configured to refresh it',
      })
    }
    const client = { baseUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret, ...(oauth.scope ? { scope: oauth.scope } : {}) }
    const tokens = refreshToken
      ? await refreshAccessToken({ ...client, refreshToken }, { now, timeoutMs })
      : await requestClientCredentialsToken(client, { now, timeoutMs })
    accessToken = tokens.accessToken
    refreshToken = tokens.refreshToken ?? refreshToken
    expiresAt = tokens.expiresAt
    await oauth.onTokensRefreshed?.({ ...tokens, refreshToken })
  }

  // One refresh at a time: parallel requests wait for the same new token instead of each
  // spending (and, with rotation, invalidating) the refresh token.
  function refreshOnce(): Promise<void> {
    refreshing ??= refresh().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  return {
    async header() {
      if (refreshing) await refreshing
      const expiring = expiresAt !== null && expiresAt.getTime() - EXPIRY_MARGIN_MS <= now().getTime()
      if (accessToken === null || (expiring && canRefresh())) await refreshOnce()
      return `Bearer ${accessToken}`
    },
    async recoverFromUnauthorized(rejectedHeader) {
      if (!canRefresh()) return false
      // Another request may already have refreshed while this one was in flight.
      if (rejectedHeader !== `Bearer ${accessToken}`) return true
      await refreshOnce()
      return true
    },
  }
}
