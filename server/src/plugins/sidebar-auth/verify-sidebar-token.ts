/**
 * What the sidebar's JWT must be: HS256 from Zendesk's proxy, signed with the
 * installation's shared secret chosen by `iss`, for audience psa-link, short-lived. @fastify/jwt
 * checks the signature, the algorithm, aud, exp, nbf and the age (see index.ts); this file holds
 * the rules and turns each refusal into one code and message.
 */
export const SIDEBAR_AUDIENCE = 'psa-link'
export const SIDEBAR_ALGORITHM = 'HS256'
export const MAX_TOKEN_LIFETIME_SECONDS = 300
/** Clocks of Zendesk's proxy and this server differ a little. */
export const CLOCK_TOLERANCE_SECONDS = 30

export interface SidebarClaims {
  subdomain: string
  ticketId: number
  expiresAt: Date
}

export interface SidebarRefusal {
  code: string
  message: string
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

function decodeJsonPart(part: string): Record<string, unknown> | null {
  if (!BASE64URL.test(part)) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/**
 * What can be read of a token before its signature is checked, to pick the secret (`iss`) and to
 * refuse at once what can never be valid. Nothing read here is trusted.
 */
export function inspectUnverified(token: string): { ok: true; issuer: string; payload: Record<string, unknown> } | ({ ok: false } & SidebarRefusal) {
  const parts = token.split('.')
  if (parts.length !== 3) return { ok: false, code: 'malformed_token', message: 'The bearer token is not a JWT (expected header.payload.signature).' }
  const header = decodeJsonPart(parts[0]!)
  const payload = decodeJsonPart(parts[1]!)
  if (!header || !payload || !BASE64URL.test(parts[2]!)) {
    return { ok: false, code: 'malformed_token', message: 'The bearer token’s parts are not base64url-encoded JSON.' }
  }
  // Only HS256, whatever the header says: neither `none` nor an RS256 token "signed" with the shared secret as a public key.
  if (header.alg !== SIDEBAR_ALGORITHM)
    return { ok: false, code: 'algorithm_refused', message: `Only HS256 tokens are accepted; this one says alg "${String(header.alg)}".` }
  if (header.crit !== undefined) return { ok: false, code: 'malformed_token', message: 'Tokens with critical header extensions are not accepted.' }
  if (typeof payload.iss !== 'string' || payload.iss === '')
    return { ok: false, code: 'missing_issuer', message: 'The token has no iss claim (the Zendesk subdomain).' }
  return { ok: true, issuer: payload.iss, payload }
}

/**
 * The one answer for a signature that does not match, an issuer PSA Link does not know and an
 * account without a shared secret: telling them apart would let anyone list the connected accounts.
 */
export function badSignature(issuer: string): SidebarRefusal {
  return { code: 'bad_signature', message: `The token signature does not match the shared secret of "${issuer}".` }
}

/** The refusal for an error @fastify/jwt (fast-jwt underneath) raised while verifying. */
export function refusalForVerifyError(error: { code?: string; message?: string }, issuer: string, payload: Record<string, unknown>): SidebarRefusal {
  const message = error.message ?? ''
  switch (error.code) {
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
      return typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()
        ? { code: 'token_expired', message: `The token expired at ${new Date(payload.exp * 1000).toISOString()}.` }
        : { code: 'token_expired', message: `The token was issued more than ${MAX_TOKEN_LIFETIME_SECONDS} seconds ago.` }
    case 'FAST_JWT_INACTIVE':
      return { code: 'not_yet_valid', message: 'The token is not valid yet (nbf is in the future).' }
    case 'FAST_JWT_INVALID_ALGORITHM':
      return { code: 'algorithm_refused', message: 'Only HS256 tokens are accepted.' }
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
      if (/signature/i.test(message)) return badSignature(issuer)
      if (/\baud\b/.test(message)) return { code: 'wrong_audience', message: `The token's aud must be "${SIDEBAR_AUDIENCE}".` }
      if (/\bexp claim is required/.test(message)) return { code: 'missing_expiry', message: 'The token has no numeric exp claim.' }
      return { code: 'malformed_token', message: 'The bearer token is not a valid JWT.' }
    default:
      return badSignature(issuer)
  }
}

/** The claims PSA Link reads of a verified token, or why it is still refused. */
export function sidebarClaims(
  payload: Record<string, unknown>,
  now: Date = new Date(),
): { ok: true; claims: SidebarClaims } | ({ ok: false } & SidebarRefusal) {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp))
    return { ok: false, code: 'missing_expiry', message: 'The token has no numeric exp claim.' }
  // A bound on the lifetime even without iat (maxAge counts from iat).
  if (payload.exp > now.getTime() / 1000 + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    return {
      ok: false,
      code: 'expiry_too_far',
      message: `The token's exp is more than ${MAX_TOKEN_LIFETIME_SECONDS} seconds ahead; sidebar tokens must be short-lived.`,
    }
  }
  const ticketId = typeof payload.ticket_id === 'string' && /^\d+$/.test(payload.ticket_id) ? Number(payload.ticket_id) : payload.ticket_id
  if (typeof ticketId !== 'number' || !Number.isSafeInteger(ticketId) || ticketId <= 0)
    return { ok: false, code: 'missing_ticket', message: 'The token has no ticket_id claim.' }
  return { ok: true, claims: { subdomain: String(payload.iss), ticketId, expiresAt: new Date(payload.exp * 1000) } }
}
