import { IntegrationError } from '../../../errors/integration-error'
import { autotaskError, errorFromAutotaskMessages, htmlTitle, timedOut } from '../core/autotask-errors'

/**
 * Turns what Autotask's REST API answered into one IntegrationError, by status and body shape
 * first and Autotask's words only where those leave it open. 401 is a refused credential (Autotask
 * sends it with an empty body); 429 a threshold; 404/405 a path or verb the API does not have; a
 * 5xx without Autotask's own `{"errors":[…]}` body (an IIS page, an empty body, ASP.NET's
 * `{"Message":…}`) is the server failing. Only a 500 with `errors` needs the words: REST sends
 * validation errors, a wrong integration code and an unknown user all that way.
 */

const authenticationProblem = /zone information could not be determined|authenticat|user name or secret|api user|unauthori[sz]ed/i
const transientProblem = /timeout expired|timed out|unable to process|temporarily|try again|deadlock|service unavailable/i
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/** Autotask's own `errors` array from a response body, when the body is one. */
function autotaskErrors(bodyText: string): string[] | undefined {
  try {
    const parsed = JSON.parse(bodyText) as { errors?: unknown }
    if (!Array.isArray(parsed.errors)) return undefined
    return parsed.errors.map((entry) => (typeof entry === 'string' ? entry : String((entry as { message?: unknown })?.message ?? JSON.stringify(entry))))
  } catch {
    return undefined
  }
}

/** Autotask's own words from a response body: `errors` (strings or {message}), ASP.NET's `Message`, or an HTML title. */
export function messagesOf(bodyText: string): string[] {
  const errors = autotaskErrors(bodyText)
  if (errors) return errors
  try {
    const parsed = JSON.parse(bodyText) as { Message?: unknown; message?: unknown }
    const single = parsed.Message ?? parsed.message
    if (typeof single === 'string') return [single]
  } catch {
    const title = htmlTitle(bodyText)
    if (title) return [title]
  }
  return []
}

export function errorFromRestResponse(status: number, bodyText: string, retryAfterHeader?: string | null): IntegrationError {
  const errors = autotaskErrors(bodyText)
  const messages = errors ?? messagesOf(bodyText)
  const text = messages.join(' ').trim()
  const waitSeconds = retryAfterSeconds(retryAfterHeader)
  const wait = waitSeconds === undefined ? {} : { retryAfterSeconds: waitSeconds }
  const fromWords = () => errorFromAutotaskMessages(messages, status)
  if (status === 401)
    return autotaskError('auth', false, `HTTP 401 Unauthorized: ${text || 'Autotask refused the API user name, secret or integration code.'}`, { status })
  if (status === 429) {
    const thread = text !== '' && fromWords().code === 'thread_threshold'
    return thread
      ? autotaskError('thread_threshold', true, text, { status, retryAfterSeconds: waitSeconds ?? 2 })
      : autotaskError('hourly_threshold', true, text || 'HTTP 429 from Autotask.', { status, retryAfterSeconds: waitSeconds ?? 60 })
  }
  if (status === 404 || status === 405) return autotaskError('http_error', false, text || `HTTP ${status} from Autotask.`, { status })
  if (status >= 500 && !errors) return autotaskError('unavailable', true, text || `HTTP ${status} from Autotask.`, { status, ...wait })
  if (status >= 502) return autotaskError('unavailable', true, text || `HTTP ${status} from Autotask.`, { status, ...wait })
  // Autotask's own errors array: its words tell a threshold, the integration code, the user and a bad record apart.
  const classified = text === '' ? undefined : fromWords()
  if (classified && classified.code !== 'rejected') {
    return autotaskError(classified.code, classified.retryable, classified.remoteMessage, {
      status,
      ...(classified.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: classified.retryAfterSeconds }),
      ...wait,
    })
  }
  if (status >= 500 && authenticationProblem.test(text)) return autotaskError('auth', false, text, { status })
  if (status >= 500 && (text === '' || transientProblem.test(text)))
    return autotaskError('unavailable', true, text || `HTTP ${status} from Autotask.`, { status, ...wait })
  return autotaskError('rejected', false, text || `HTTP ${status} from Autotask.`, { status, details: { messages } })
}

interface FetchFailure {
  name?: string
  message?: string
  code?: string
  cause?: { code?: string; message?: string; name?: string }
}

/** Maps what the HTTP client threw (adapters/http/keep-alive-http.ts, or fetch): our timeout, or the network. */
export function errorFromFetchFailure(cause: unknown, timeoutMs: number): IntegrationError {
  if (cause instanceof IntegrationError) return cause
  const failure = (cause ?? {}) as FetchFailure
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError' || failure.cause?.name === 'TimeoutError') {
    return timedOut(timeoutMs, cause)
  }
  const code = failure.cause?.code ?? failure.code
  const message = failure.cause?.message ?? failure.message ?? String(cause)
  if ((code && networkCodes.has(code)) || /fetch failed|socket|network|ECONN/i.test(message))
    return autotaskError('network', true, code ? `${code}: ${message}` : message, { cause })
  return autotaskError('unexpected_response', true, message, { cause })
}
