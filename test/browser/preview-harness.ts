import { createHmac, timingSafeEqual } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { SyncNowResponse, TicketStateResponse } from '@psa-link/shared'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { UI_BUILT_FOR_THIS_RUN } from './global-setup'
import agentPreview from '../../server/sandbox/src/agent'
import type { PreviewInstallation, PreviewTicket } from '../../server/sandbox/src/agent'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const APP_DIR = `${REPO_ROOT}dist/zendesk-app`
export const ARTIFACTS = `${REPO_ROOT}test/.artifacts`

export { UI_BUILT_FOR_THIS_RUN }

/**
 * Builds and stages the app exactly as `npm run build -w zendesk-app` does, unless this run's
 * globalSetup already did (then the build in dist/ is reused).
 */
export function buildApp(): void {
  if (process.env[UI_BUILT_FOR_THIS_RUN]) return
  const result = spawnSync('npm', ['run', 'build', '-w', 'zendesk-app'], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`app build failed:\n${result.stdout}\n${result.stderr}`)
}

/** Builds the admin console into dist/admin-ui, unless this run's globalSetup already did. */
export function buildAdminConsole(): void {
  if (process.env[UI_BUILT_FOR_THIS_RUN]) return
  const result = spawnSync('npx', ['vite', 'build', '--config', 'server/src/admin-ui/vite.config.ts'], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`admin UI build failed:\n${result.stdout}\n${result.stderr}`)
}

export interface VerifiedClaims {
  iss: string
  aud: string
  ticket_id: number
  user_id: number
  iat?: number
  exp: number
}

/** Strict HS256 check, as the real backend must do: header, signature, audience, short expiry. */
export function verifyJwt(authorization: string | undefined, secret: string, now = Date.now()): VerifiedClaims | string {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
  if (!token) return 'no bearer token'
  const [header, payload, signature] = token.split('.')
  if (!header || !payload || !signature) return 'malformed token'
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg
  if (alg !== 'HS256') return `algorithm ${String(alg)} refused`
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature'
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as VerifiedClaims
  const nowSeconds = Math.floor(now / 1000)
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || claims.exp > nowSeconds + 300) return 'exp missing, past or too far ahead'
  if (claims.aud !== 'psa-link') return 'wrong audience'
  return claims
}

export interface TestBackend {
  url: string
  app: FastifyInstance
  claims: VerifiedClaims[]
  ticketReads: number[]
  tickets: Map<number, TicketStateResponse>
  /** What POST /sync answers for a ticket (default: done with the stored state). */
  syncAnswers: Map<number, () => SyncNowResponse>
}

/** A stand-in for the issue-6 API: the two sidebar routes with fixed data, behind JWT verification. */
export async function startTestBackend(secret: string, subdomain: string): Promise<TestBackend> {
  const app = Fastify()
  const backend: Omit<TestBackend, 'url'> = { app, claims: [], ticketReads: [], tickets: new Map(), syncAnswers: new Map() }
  app.addHook('onRequest', async (request, reply) => {
    const claims = verifyJwt(request.headers.authorization, secret)
    if (typeof claims === 'string') return reply.status(401).send({ statusCode: 401, error: 'Unauthorized', message: claims })
    if (claims.iss !== subdomain) return reply.status(401).send({ statusCode: 401, error: 'Unauthorized', message: 'unknown iss' })
    const pathTicket = /\/tickets\/(\d+)/.exec(request.url)?.[1]
    if (pathTicket && Number(pathTicket) !== claims.ticket_id)
      return reply.status(403).send({ statusCode: 403, error: 'Forbidden', message: 'ticket_id mismatch' })
    backend.claims.push(claims)
  })
  app.get<{ Params: { id: string } }>('/api/v1/tickets/:id', async (request, reply) => {
    const ticket = backend.tickets.get(Number(request.params.id))
    backend.ticketReads.push(Number(request.params.id))
    return ticket ? ticket : reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown ticket' })
  })
  app.post<{ Params: { id: string } }>('/api/v1/tickets/:id/sync', async (request, reply) => {
    const id = Number(request.params.id)
    const answer = backend.syncAnswers.get(id)
    const ticket = backend.tickets.get(id)
    if (!ticket) return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown ticket' })
    return answer ? answer() : { status: 'done', jobId: null, ticket }
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { ...backend, url }
}

export async function startPreview(
  installation: PreviewInstallation,
  tickets: Map<number, PreviewTicket>,
  submitted: { id: number; clusterId: string | null }[],
) {
  const app = Fastify()
  await app.register(agentPreview, {
    appDir: APP_DIR,
    getInstallation: async () => installation,
    getTicket: async (id) => tickets.get(id) ?? null,
    submitTicket: async (id, changes) => {
      submitted.push({ id, ...changes })
    },
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url }
}

/** Debian's Chromium, headless, with its profile and caches in a temporary HOME. */
export async function launchChromium(): Promise<Browser> {
  const home = mkdtempSync(`${tmpdir()}/psa-link-chromium-`)
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_CACHE_HOME: `${home}/.cache` },
  })
}
