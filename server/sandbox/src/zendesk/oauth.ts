import { createHash, randomBytes } from 'node:crypto'
import type { EmulatorClock } from './clock'
import { EmulatorError } from './errors'

/**
 * OAuth as Zendesk runs it (developer.zendesk.com/documentation/api-basics/authentication/oauth):
 * authorization-code (with optional PKCE), refresh_token with rotation, client_credentials, all at
 * POST /oauth/tokens; expiring access tokens. Error bodies are the RFC 6749 ones Zendesk returns.
 */
export interface OAuthClient {
  /** The client's resource id (Admin Center lists it; the OAuth Tokens API takes it as client_id). */
  id: number
  clientId: string
  clientSecret: string
  name: string
  /** Empty: any redirect URI is accepted (the sandbox client serves any local admin console). */
  redirectUris: string[]
}

export interface OAuthTokenResponse {
  access_token: string
  token_type: 'bearer'
  scope: string
  expires_in?: number
  refresh_token?: string
  refresh_token_expires_in?: number
}

interface AccessToken {
  userId: number
  clientId: string
  scope: string
  expiresAt: number | null
}

interface RefreshToken {
  userId: number
  clientId: string
  scope: string
  expiresAt: number
}

interface AuthorizationCode {
  userId: number
  clientId: string
  redirectUri: string
  scope: string
  expiresAt: number
  codeChallenge: string | null
  codeChallengeMethod: string | null
}

export interface TokenRequest {
  grant_type?: unknown
  client_id?: unknown
  client_secret?: unknown
  code?: unknown
  redirect_uri?: unknown
  refresh_token?: unknown
  scope?: unknown
  code_verifier?: unknown
  expires_in?: unknown
}

/** A token an admin created with the OAuth Tokens API (POST /api/v2/oauth/tokens): no expiry, no refresh. */
export interface CreatedAccessToken {
  id: number
  token: string
  clientResourceId: number
  userId: number
  scopes: string[]
  createdAt: Date
}

export interface OAuthServer {
  readonly clients: Map<string, OAuthClient>
  /** The user an access token acts as, or null when it is unknown, revoked or expired. */
  userForAccessToken(token: string): number | null
  /** The user and the granted scope (space-separated, e.g. "read write impersonate") of a live token. */
  accessToken(token: string): { userId: number; scope: string } | null
  issueStaticToken(token: string, userId: number): void
  /** null when no client has that resource id. */
  createToken(input: { clientResourceId: number; scopes: string[]; userId: number }): CreatedAccessToken | null
  authorize(input: {
    clientId: string
    redirectUri: string
    scope: string
    userId: number
    codeChallenge?: string | null
    codeChallengeMethod?: string | null
  }): string
  client(clientId: string): OAuthClient | undefined
  redirectAllowed(client: OAuthClient, redirectUri: string): boolean
  token(request: TokenRequest, basicClient: { id: string; secret: string } | null): OAuthTokenResponse
  /** Revokes an access token (and the refresh tokens of its grant); false when it was not live. */
  revoke(token: string): boolean
  /** Tests: make every issued (non-static) access token expire now. */
  expireAccessTokens(): void
  setAccessTokenLifetime(seconds: number): void
  clear(): void
}

const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.'
const INVALID_CLIENT = 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'

function oauthError(status: number, error: string, description: string): EmulatorError {
  return new EmulatorError(status, { error, error_description: description })
}

function opaqueToken(): string {
  return randomBytes(32).toString('hex')
}

export function createOAuthServer(clock: EmulatorClock, integrationUserId: () => number): OAuthServer {
  const clients = new Map<string, OAuthClient>()
  const accessTokens = new Map<string, AccessToken>()
  const refreshTokens = new Map<string, RefreshToken>()
  const codes = new Map<string, AuthorizationCode>()
  let accessTokenLifetimeSeconds = 3600
  let nextTokenId = 900_000_001
  const refreshTokenLifetimeSeconds = 30 * 24 * 3600

  function issue(userId: number, clientId: string, scope: string, withRefresh: boolean, requestedLifetime: number | null): OAuthTokenResponse {
    const now = clock.now().getTime()
    // Zendesk lets the caller ask for a lifetime between 5 minutes and 2 days.
    const lifetime = requestedLifetime === null ? accessTokenLifetimeSeconds : Math.min(172_800, Math.max(300, requestedLifetime))
    const accessToken = opaqueToken()
    accessTokens.set(accessToken, { userId, clientId, scope, expiresAt: now + lifetime * 1000 })
    const response: OAuthTokenResponse = { access_token: accessToken, token_type: 'bearer', scope, expires_in: lifetime }
    if (withRefresh) {
      const refreshToken = opaqueToken()
      refreshTokens.set(refreshToken, { userId, clientId, scope, expiresAt: now + refreshTokenLifetimeSeconds * 1000 })
      response.refresh_token = refreshToken
      response.refresh_token_expires_in = refreshTokenLifetimeSeconds
    }
    return response
  }

  function authenticateClient(request: TokenRequest, basicClient: { id: string; secret: string } | null): OAuthClient {
    const clientId = basicClient?.id ?? (typeof request.client_id === 'string' ? request.client_id : '')
    const clientSecret = basicClient?.secret ?? (typeof request.client_secret === 'string' ? request.client_secret : '')
    const client = clients.get(clientId)
    if (!client || client.clientSecret !== clientSecret) throw oauthError(401, 'invalid_client', INVALID_CLIENT)
    return client
  }

  function liveToken(token: string): { userId: number; scope: string } | null {
    const found = accessTokens.get(token)
    if (!found) return null
    if (found.expiresAt !== null && found.expiresAt <= clock.now().getTime()) return null
    return { userId: found.userId, scope: found.scope }
  }

  return {
    clients,
    client: (clientId) => clients.get(clientId),
    redirectAllowed: (client, redirectUri) => client.redirectUris.length === 0 || client.redirectUris.includes(redirectUri),

    userForAccessToken: (token) => liveToken(token)?.userId ?? null,
    accessToken: liveToken,

    issueStaticToken(token, userId) {
      accessTokens.set(token, { userId, clientId: 'sandbox', scope: 'read write', expiresAt: null })
    },

    createToken({ clientResourceId, scopes, userId }) {
      const client = [...clients.values()].find((candidate) => candidate.id === clientResourceId)
      if (!client) return null
      const token = opaqueToken()
      accessTokens.set(token, { userId, clientId: client.clientId, scope: scopes.join(' '), expiresAt: null })
      return { id: nextTokenId++, token, clientResourceId, userId, scopes, createdAt: clock.now() }
    },

    authorize({ clientId, redirectUri, scope, userId, codeChallenge = null, codeChallengeMethod = null }) {
      const code = opaqueToken()
      // "an authorization code … valid for 120 seconds" (Create Token for Grant Type); it works once.
      codes.set(code, { userId, clientId, redirectUri, scope, expiresAt: clock.now().getTime() + 120_000, codeChallenge, codeChallengeMethod })
      return code
    },

    token(request, basicClient) {
      const grantType = typeof request.grant_type === 'string' ? request.grant_type : ''
      const requestedLifetime = request.expires_in === undefined ? null : Number(request.expires_in)
      const lifetime = requestedLifetime !== null && Number.isFinite(requestedLifetime) ? requestedLifetime : null
      const now = clock.now().getTime()
      if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
        throw oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.')
      }
      const client = authenticateClient(request, basicClient)
      if (grantType === 'client_credentials') {
        const scope = typeof request.scope === 'string' && request.scope.trim() !== '' ? request.scope : 'read write'
        return issue(integrationUserId(), client.clientId, scope, false, lifetime)
      }
      if (grantType === 'authorization_code') {
        const code = typeof request.code === 'string' ? codes.get(request.code) : undefined
        if (typeof request.code === 'string') codes.delete(request.code)
        if (!code || code.clientId !== client.clientId || code.expiresAt <= now || code.redirectUri !== request.redirect_uri) {
          throw oauthError(400, 'invalid_grant', INVALID_GRANT)
        }
        if (code.codeChallenge) {
          const verifier = typeof request.code_verifier === 'string' ? request.code_verifier : ''
          const computed = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier
          if (computed !== code.codeChallenge) throw oauthError(400, 'invalid_grant', INVALID_GRANT)
        }
        return issue(code.userId, client.clientId, code.scope, true, lifetime)
      }
      const presented = typeof request.refresh_token === 'string' ? request.refresh_token : ''
      const refresh = refreshTokens.get(presented)
      if (!refresh || refresh.clientId !== client.clientId || refresh.expiresAt <= now) {
        throw oauthError(400, 'invalid_grant', INVALID_GRANT)
      }
      // Rotation: a refresh token works once; the answer carries its successor.
      refreshTokens.delete(presented)
      return issue(refresh.userId, client.clientId, refresh.scope, true, lifetime)
    },

    revoke(token) {
      const found = accessTokens.get(token)
      if (!found) return false
      accessTokens.delete(token)
      // Revoking a grant's access token ends the grant: its refresh tokens stop working too.
      for (const [refresh, grant] of refreshTokens) if (grant.userId === found.userId && grant.clientId === found.clientId) refreshTokens.delete(refresh)
      return true
    },

    expireAccessTokens() {
      const now = clock.now().getTime()
      for (const token of accessTokens.values()) if (token.expiresAt !== null) token.expiresAt = now
    },

    setAccessTokenLifetime(seconds) {
      accessTokenLifetimeSeconds = seconds
    },

    clear() {
      accessTokens.clear()
      refreshTokens.clear()
      codes.clear()
    },
  }
}
