import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Checks the JWT Zendesk's proxy signs for the sidebar (DESIGN.md section 3): HS256 with the
 * installation's shared secret, chosen by `iss`. Only HS256 is accepted, whatever the header says,
 * so neither `none` nor an RS256 token "signed" with the shared secret as a public key gets in.
 */
export const SIDEBAR_AUDIENCE = 'psa-link'
export const MAX_TOKEN_LIFETIME_SECONDS = 300
/** Clocks of Zendesk's proxy and this server differ a little. */
const CLOCK_TOLERANCE_SECONDS = 30

export interface SidebarClaims {
  subdomain: string
  ticketId: number
  expiresAt: Date
}

export interface SidebarTenant {
  accountId: number
  sharedSecret: string | null
}

export type SidebarTokenResult =
  | { ok: true; tenant: SidebarTenant; claims: SidebarClaims }
  | { ok: false; status: 401; code: string; message: string }

const refuse = (code: string, message: string): SidebarTokenResult => ({ ok: false, status: 401, code, message })

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

export async function verifySidebarToken(
  token: string,
  findTenant: (subdomain: string) => Promise<SidebarTenant | null>,
  now: Date = new Date(),
): Promise<SidebarTokenResult> {
  const parts = token.split('.')
  if (parts.length !== 3) return refuse('malformed_token', 'The bearer token is not a JWT (expected header.payload.signature).')
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = decodeJsonPart(headerPart)
  const payload = decodeJsonPart(payloadPart)
  if (!header || !payload) return refuse('malformed_token', 'The bearer token’s header or payload is not base64url-encoded JSON.')
  if (header.alg !== 'HS256') return refuse('algorithm_refused', `Only HS256 tokens are accepted; this one says alg "${String(header.alg)}".`)
  if (header.crit !== undefined) return refuse('malformed_token', 'Tokens with critical header extensions are not accepted.')
  if (typeof payload.iss !== 'string' || payload.iss === '') return refuse('missing_issuer', 'The token has no iss claim (the Zendesk subdomain).')

  const tenant = await findTenant(payload.iss)
  if (!tenant) return refuse('unknown_issuer', `No Zendesk account "${payload.iss}" is connected to PSA Link.`)
  if (!tenant.sharedSecret) return refuse('no_shared_secret', `The Zendesk account "${payload.iss}" has no app shared secret configured.`)

  if (!BASE64URL.test(signaturePart)) return refuse('bad_signature', 'The token signature is not base64url.')
  const expected = createHmac('sha256', tenant.sharedSecret).update(`${headerPart}.${payloadPart}`).digest()
  const presented = Buffer.from(signaturePart, 'base64url')
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return refuse('bad_signature', `The token signature does not match the shared secret of "${payload.iss}".`)
  }

  // Claims are checked only after the signature: before it they are anybody's words.
  if (payload.aud !== SIDEBAR_AUDIENCE && !(Array.isArray(payload.aud) && payload.aud.includes(SIDEBAR_AUDIENCE))) {
    return refuse('wrong_audience', `The token's aud must be "${SIDEBAR_AUDIENCE}".`)
  }
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return refuse('missing_expiry', 'The token has no numeric exp claim.')
  const nowSeconds = now.getTime() / 1000
  if (payload.exp <= nowSeconds - CLOCK_TOLERANCE_SECONDS) {
    return refuse('token_expired', `The token expired at ${new Date(payload.exp * 1000).toISOString()}.`)
  }
  if (payload.exp > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    return refuse('expiry_too_far', `The token's exp is more than ${MAX_TOKEN_LIFETIME_SECONDS} seconds ahead; sidebar tokens must be short-lived.`)
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    return refuse('not_yet_valid', 'The token is not valid yet (nbf is in the future).')
  }
  const ticketId = typeof payload.ticket_id === 'string' && /^\d+$/.test(payload.ticket_id) ? Number(payload.ticket_id) : payload.ticket_id
  if (typeof ticketId !== 'number' || !Number.isSafeInteger(ticketId) || ticketId <= 0) {
    return refuse('missing_ticket', 'The token has no ticket_id claim.')
  }
  return { ok: true, tenant, claims: { subdomain: payload.iss, ticketId, expiresAt: new Date(payload.exp * 1000) } }
}
