import { createHmac } from 'node:crypto'
import { createWebhookRepository } from '../../../server/src/db/repositories/webhook-repository'
import { ensureSandboxTenant, SANDBOX_APP_SHARED_SECRET, SANDBOX_SUBDOMAIN } from '../../../server/sandbox/src/sandbox-tenant'
import { startScenario } from '../../helpers/scenario'
import type { TestStack, TestStackOptions } from '../../helpers/test-stack'
import { eventually } from '../../helpers/until'

// Re-exported: the API tests (and the bench) import it from here; the one polling helper lives in test/helpers/until.ts.
export { eventually }

/**
 * A scenario stack whose sandbox tenant is subscribed to the Zendesk emulator's webhooks. Recording
 * the tenant again with the webhook store is what the sandbox plugin does once it passes one.
 */
export async function startApiStack(options: Omit<TestStackOptions, 'emulators'> = {}): Promise<TestStack> {
  const stack = await startScenario({ ...options, webhooks: true })
  await ensureSandboxTenant(stack.app.tenants, stack.sandbox.zendesk, stack.origin, createWebhookRepository(stack.database.pool, stack.app.secrets))
  return stack
}

const base64Url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

export interface TokenOptions {
  claims?: Record<string, unknown>
  header?: Record<string, unknown>
  secret?: string
  /** Replaces the HS256 signature (e.g. '' for alg none). */
  signature?: string
}

/** A sidebar token as Zendesk's proxy signs it, with whatever a test wants to get wrong. */
export function sidebarToken(ticketId: number, options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000)
  const header = base64Url(JSON.stringify(options.header ?? { alg: 'HS256', typ: 'JWT' }))
  const claims = { iss: SANDBOX_SUBDOMAIN, aud: 'psa-link', ticket_id: ticketId, user_id: 5, iat: now, exp: now + 240, ...options.claims }
  const payload = base64Url(JSON.stringify(claims))
  const signature =
    options.signature ??
    createHmac('sha256', options.secret ?? SANDBOX_APP_SHARED_SECRET)
      .update(`${header}.${payload}`)
      .digest('base64url')
  return `${header}.${payload}.${signature}`
}

export interface ApiAnswer {
  status: number
  body: Record<string, unknown>
}

/** Calls the backend over real HTTP, as Zendesk's proxy would. */
export async function callApi(stack: TestStack, method: 'GET' | 'POST', path: string, token: string | null): Promise<ApiAnswer> {
  const response = await fetch(`${stack.origin}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  })
  const text = await response.text()
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

/**
 * Waits until the webhooks the emulator fired have been delivered and every per-ticket job they
 * queued has finished: tests that count syncs or requests start from a quiet system.
 */
export async function settled(stack: TestStack): Promise<void> {
  await stack.sandbox.zendesk.webhooksSettled()
  await eventually(async () => {
    const { rows } = await stack.database.pool.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sync-ticket' AND state IN ('created', 'retry', 'active')",
    )
    return rows[0].n === 0
  }, 30_000)
}
