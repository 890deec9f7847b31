import { zendeskHttpError, zendeskNetworkError, zendeskProtocolError } from './zendesk-errors'
import { readTextWithinLimit } from '../http/response-size-limit'

/**
 * Zendesk OAuth (developer.zendesk.com/documentation/api-basics/authentication/oauth): the
 * authorization page, and the three grants PSA Link uses at POST /oauth/tokens. Zendesk is
 * retiring API tokens, so these are the primary way in; access tokens can expire and refresh
 * tokens rotate (each works once).
 */
export interface ZendeskTokens {
  accessToken: string
  refreshToken: string | null
  /** null when Zendesk gave the token no expiry. */
  expiresAt: Date | null
  scope: string
}

export interface OAuthClientCredentials {
  /** e.g. https://acme.zendesk.com or http://127.0.0.1:3000/sandbox/zendesk */
  baseUrl: string
  clientId: string
  clientSecret: string
}

export interface TokenRequestOptions {
  now?: () => Date
  timeoutMs?: number
  /** Lifetime to ask for, in seconds (Zendesk allows 300 to 172800). */
  expiresInSeconds?: number
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '')
}

export function buildAuthorizationUrl(input: {
  baseUrl: string
  clientId: string
  redirectUri: string
  state: string
  scope?: string
  codeChallenge?: string
}): string {
  const url = new URL(`${trimBase(input.baseUrl)}/oauth/authorizations/new`)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', input.clientId)
  url.searchParams.set('redirect_uri', input.redirectUri)
  url.searchParams.set('scope', input.scope ?? 'read write')
  url.searchParams.set('state', input.state)
  if (input.codeChallenge) {
    url.searchParams.set('code_challenge', input.codeChallenge)
    url.searchParams.set('code_challenge_method', 'S256')
  }
  return url.toString()
}

async function postTokens(baseUrl: string, body: Record<string, string | number>, options: TokenRequestOptions): Promise<ZendeskTokens> {
  const now = options.now ?? (() => new Date())
  let response: Response
  try {
    response = await fetch(`${trimBase(baseUrl)}/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(options.expiresInSeconds ? { ...body, expires_in: options.expiresInSeconds } : body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    })
  } catch (error) {
    throw zendeskNetworkError(error, error instanceof Error && error.name === 'TimeoutError')
  }
  const text = await readTextWithinLimit(response, 'zendesk')
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // Not JSON: the error mapping keeps the text.
  }
  if (!response.ok) throw zendeskHttpError(response.status, parsed)
  const record = (parsed ?? {}) as Record<string, unknown>
  if (typeof record.access_token !== 'string') throw zendeskProtocolError('the token endpoint answered without an access_token', parsed)
  const expiresIn = typeof record.expires_in === 'number' ? record.expires_in : null
  return {
    accessToken: record.access_token,
    refreshToken: typeof record.refresh_token === 'string' ? record.refresh_token : null,
    expiresAt: expiresIn === null ? null : new Date(now().getTime() + expiresIn * 1000),
    scope: typeof record.scope === 'string' ? record.scope : '',
  }
}

export function exchangeAuthorizationCode(
  input: OAuthClientCredentials & { code: string; redirectUri: string; codeVerifier?: string; scope?: string },
  options: TokenRequestOptions = {},
): Promise<ZendeskTokens> {
  return postTokens(
    input.baseUrl,
    {
      grant_type: 'authorization_code',
      code: input.code,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      redirect_uri: input.redirectUri,
      scope: input.scope ?? 'read write',
      ...(input.codeVerifier ? { code_verifier: input.codeVerifier } : {}),
    },
    options,
  )
}

export function requestClientCredentialsToken(input: OAuthClientCredentials & { scope?: string }, options: TokenRequestOptions = {}): Promise<ZendeskTokens> {
  return postTokens(
    input.baseUrl,
    { grant_type: 'client_credentials', client_id: input.clientId, client_secret: input.clientSecret, scope: input.scope ?? 'read write' },
    options,
  )
}

export function refreshAccessToken(
  input: OAuthClientCredentials & { refreshToken: string; scope?: string },
  options: TokenRequestOptions = {},
): Promise<ZendeskTokens> {
  return postTokens(
    input.baseUrl,
    {
      grant_type: 'refresh_token',
      refresh_token: input.refreshToken,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      ...(input.scope ? { scope: input.scope } : {}),
    },
    options,
  )
}
