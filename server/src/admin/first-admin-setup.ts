import { timingSafeEqual } from 'node:crypto'
import type { SecretBox } from '../security/secret-box'

/** Letters and digits that cannot be mistaken for one another when read off a log. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/**
 * The code that lets someone create the first administrator of a new installation. It comes from
 * the deployment's secret key, so every instance prints the same one, only whoever can read the
 * server's output (or the key) knows it, and it stops working once a real account exists.
 */
export function firstAdminSetupCode(secrets: SecretBox): string {
  const bytes = secrets.derive('psa-link:first-admin-setup')
  const letters = Array.from(bytes.subarray(0, 12), (byte) => ALPHABET[byte % ALPHABET.length]).join('')
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8, 12)}`
}

/** Compares a typed code with the real one, ignoring case, spaces and dashes, in constant time. */
export function isSetupCode(typed: string, expected: string): boolean {
  const clean = (code: string) => Buffer.from(code.toUpperCase().replace(/[\s-]/g, ''))
  const a = clean(typed)
  const b = clean(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The Zendesk subdomain from what people paste: `acme`, `acme.zendesk.com` or the whole
 * `https://acme.zendesk.com/agent/...` address. Null when it cannot be one.
 */
export function zendeskSubdomainOf(input: string): string | null {
  const trimmed = input.trim().toLowerCase()
  const host = /^https?:\/\//.test(trimmed) ? (URL.canParse(trimmed) ? new URL(trimmed).hostname : '') : trimmed.split('/')[0]!
  const subdomain = host.endsWith('.zendesk.com') ? host.slice(0, -'.zendesk.com'.length) : host
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain) ? subdomain : null
}
