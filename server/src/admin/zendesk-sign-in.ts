import { timingSafeEqual } from 'node:crypto'
import type { SecretBox } from '../security/secret-box'

/**
 * "Sign in with Zendesk" (issue 21): the OAuth authorization-code flow with PKCE against the
 * subdomain a person names. Before the callback there is no session and maybe no account yet, so
 * the flow (state, PKCE verifier, subdomain) travels in a cookie of its own, sealed with the
 * deployment's key: HttpOnly, SameSite=Lax (the callback is a top-level navigation from
 * zendesk.com), scoped to the callback's path, 10 minutes. Only the browser that started a flow can
 * finish it, any instance can, and the cookie is cleared on the first callback.
 */
export const SIGN_IN_CALLBACK_PATH = '/admin/zendesk/sign-in/callback'
export const SIGN_IN_COOKIE = 'psa_link_zendesk_sign_in'
export const SIGN_IN_COOKIE_SECONDS = 10 * 60

export interface SignInFlow {
  state: string
  verifier: string
  subdomain: string
  baseUrl: string
  /** A console route (`#/...`) to land on; never an address. */
  returnTo: string | null
  startedAt: number
}

// The cookie's own cell: a value sealed here opens nowhere else (not in any database column).
const FLOW_CELL = { table: 'cookie', column: SIGN_IN_COOKIE, id: 'flow' } as const

export function sealFlow(secrets: SecretBox, flow: SignInFlow): string {
  return secrets.seal(JSON.stringify(flow), FLOW_CELL)
}

/** The flow in `cookie` when it is intact, younger than 10 minutes and its state is `state`; else null. */
export function openFlow(secrets: SecretBox, cookie: string | undefined, state: string | undefined, now = Date.now()): SignInFlow | null {
  if (!cookie || !state) return null
  let flow: SignInFlow
  try {
    flow = JSON.parse(secrets.open(cookie, FLOW_CELL)) as SignInFlow
  } catch {
    return null
  }
  if (typeof flow.state !== 'string' || typeof flow.startedAt !== 'number') return null
  if (now - flow.startedAt > SIGN_IN_COOKIE_SECONDS * 1000 || now < flow.startedAt) return null
  const a = Buffer.from(flow.state)
  const b = Buffer.from(state)
  return a.length === b.length && timingSafeEqual(a, b) ? flow : null
}

/**
 * Where the console may send someone after signing in: one of its own routes, written as the hash
 * (`#/connections`), nothing that a browser could read as another address. Null for anything else.
 */
export function safeReturnTo(input: string): string | null {
  return /^#\/[A-Za-z0-9\-._~/?=&%]{0,200}$/.test(input) && !input.includes('//') ? input : null
}

/**
 * Whether the user Zendesk answered for `/api/v2/users/me` belongs to the account at `baseUrl`:
 * Zendesk names the account in the user's own API address. Refuses an answer about a user of any
 * other account (a proxy, a misrouted host, a token of another subdomain).
 */
export function isUserOfAccount(user: { url?: string }, baseUrl: string): boolean {
  if (!user.url || !URL.canParse(user.url)) return false
  const url = new URL(user.url)
  const base = new URL(baseUrl.replace(/\/+$/, ''))
  return url.origin === base.origin && url.pathname.startsWith(`${base.pathname.replace(/\/$/, '')}/api/v2/users/`)
}
