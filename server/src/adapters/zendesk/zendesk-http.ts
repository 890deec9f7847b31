import type { AuthProvider } from './zendesk-auth'
import { zendeskHttpError, zendeskNetworkError, zendeskOutcomeUnknown, zendeskProtocolError } from './zendesk-errors'
import { readTextWithinLimit } from '../http/response-size-limit'

/**
 * One Zendesk request with the retry rules the sync relies on: 429 waits Retry-After (when it is
 * short enough to wait here; otherwise the job layer reschedules), 5xx, network errors and timeouts
 * back off exponentially, 401 refreshes the OAuth token once. Rate-limit headers are kept for the
 * budget meter.
 *
 * Only idempotent requests are resent after an answer that may follow a saved change (a timeout,
 * a dropped connection, 500/502/504): a comment-carrying update resent after its answer was lost
 * posts the comment twice. A non-idempotent write is resent only when Zendesk surely did not
 * process it (429, 503, a refused connection); otherwise it fails `outcome_unknown`.
 */
export interface RateLimitSnapshot {
  limit: number
  remaining: number
  /** Seconds until the window frees up, when Zendesk said (ratelimit-reset). */
  resetSeconds: number | null
  observedAt: Date
}

export interface ZendeskHttpOptions {
  baseUrl: string
  auth: AuthProvider
  maxRetries: number
  timeoutMs: number
  /** Longest Retry-After waited in-process; a longer one fails retryable with retryAfterSeconds. */
  maxRetryWaitSeconds: number
  sleep: (milliseconds: number) => Promise<void>
  random: () => number
  now: () => Date
  /** Called once per HTTP request sent (retries included), for usage accounting. */
  onRequest?: () => void
}

export interface RequestOptions {
  /** Whether sending it twice does no harm; by default every method but POST. */
  idempotent?: boolean
}

export interface ZendeskHttp {
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pathOrUrl: string, body?: unknown, options?: RequestOptions): Promise<T>
  rateLimit(): RateLimitSnapshot | null
}

function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (header === null || header.trim() === '') return null
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.ceil(Number(header))
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now.getTime()) / 1000)) : null
}

/** Failures that happen before a request leaves: nothing reached Zendesk, so sending again is safe. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } } | null)?.cause
  if (typeof cause?.code === 'string') return NOT_SENT_CODES.has(cause.code)
  return (
    Array.isArray(cause?.errors) &&
    cause.errors.length > 0 &&
    cause.errors.every((attempt) => typeof attempt.code === 'string' && NOT_SENT_CODES.has(attempt.code))
  )
}

function numberHeader(headers: Headers, ...names: string[]): number | null {
  for (const name of names) {
    const value = headers.get(name)
    if (value !== null && /^\d+$/.test(value.trim())) return Number(value)
  }
  return null
}

export function createZendeskHttp(options: ZendeskHttpOptions): ZendeskHttp {
  const base = options.baseUrl.replace(/\/+$/, '')
  const origin = new URL(base).origin
  let lastRateLimit: RateLimitSnapshot | null = null

  function backoffMs(attempt: number): number {
    const base = Math.min(30_000, 500 * 2 ** attempt)
    return Math.round(base * (0.8 + options.random() * 0.4))
  }

  function observe(headers: Headers): void {
    const limit = numberHeader(headers, 'x-rate-limit', 'ratelimit-limit')
    const remaining = numberHeader(headers, 'x-rate-limit-remaining', 'ratelimit-remaining')
    if (limit === null || remaining === null) return
    lastRateLimit = { limit, remaining, resetSeconds: numberHeader(headers, 'ratelimit-reset'), observedAt: options.now() }
  }

  function resolve(pathOrUrl: string): string {
    if (!/^https?:\/\//.test(pathOrUrl)) return `${base}${pathOrUrl}`
    // Pagination links come from the response; never send credentials to another host.
    if (new URL(pathOrUrl).origin !== origin) throw zendeskProtocolError(`Zendesk returned a link to another host: ${pathOrUrl}`)
    return pathOrUrl
  }

  return {
    rateLimit: () => lastRateLimit,

    async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pathOrUrl: string, body?: unknown, requestOptions: RequestOptions = {}): Promise<T> {
      const url = resolve(pathOrUrl)
      const idempotent = requestOptions.idempotent ?? method !== 'POST'
      let attempt = 0
      let refreshedAfter401 = false
      for (;;) {
        const authorization = await options.auth.header()
        let response: Response
        try {
          options.onRequest?.()
          response = await fetch(url, {
            method,
            headers: {
              authorization,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(options.timeoutMs),
          })
        } catch (error) {
          const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          const resendable = idempotent || neverSent(error)
          if (resendable && attempt < options.maxRetries) {
            await options.sleep(backoffMs(attempt++))
            continue
          }
          throw resendable ? zendeskNetworkError(error, timedOut) : zendeskOutcomeUnknown({ timedOut, error })
        }
        observe(response.headers)
        const text = await readTextWithinLimit(response, 'zendesk')
        let parsed: unknown = text
        if (text !== '') {
          try {
            parsed = JSON.parse(text)
          } catch {
            // Some failures (proxies, maintenance pages) are not JSON; keep the text.
          }
        }
        if (response.ok) {
          if (response.status === 204 || text === '') return undefined as T
          if (typeof parsed === 'string') throw zendeskProtocolError('Zendesk answered with something other than JSON', text.slice(0, 300))
          return parsed as T
        }
        const status = response.status
        if (status === 401 && !refreshedAfter401 && (await options.auth.recoverFromUnauthorized(authorization))) {
          refreshedAfter401 = true
          continue
        }
        const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), options.now())
        // 429 and 503 are Zendesk refusing the request unprocessed; other 5xx may follow a saved change.
        if (status >= 500 && status !== 503 && !idempotent) throw zendeskOutcomeUnknown({ status, body: parsed })
        if (status === 429 || status >= 500) {
          const waitMs = retryAfter !== null ? retryAfter * 1000 : backoffMs(attempt)
          if (attempt < options.maxRetries && waitMs <= options.maxRetryWaitSeconds * 1000) {
            attempt++
            await options.sleep(waitMs)
            continue
          }
        }
        throw zendeskHttpError(status, parsed, retryAfter ?? undefined)
      }
    },
  }
}
