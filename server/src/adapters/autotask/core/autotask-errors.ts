import { IntegrationError, OUTCOME_UNKNOWN } from '../../../errors/integration-error'
import { MAX_RESPONSE_BYTES, responseTooLargeError } from '../../http/response-size-limit'

/**
 * Turns whatever Autotask or the network answered into one IntegrationError. Autotask never
 * documented how SOAP renders its thread and hourly threshold errors, so they are recognised by
 * their words whether they come as ATWSResponse errors or as SOAP faults.
 */

const threadThreshold = /thread threshold/i
const hourlyThreshold = /(request|external) threshold|threshold of external request|requests per (60 minutes|hour)/i
const integrationCodeProblem = /integration ?code|tracking identifier/i

function autotaskError(code: string, retryable: boolean, remoteMessage: string, extra: { status?: number; retryAfterSeconds?: number; cause?: unknown; details?: unknown } = {}): IntegrationError {
  return new IntegrationError({ system: 'autotask', code, retryable, remoteMessage, ...extra })
}

/** Classifies Autotask's own message text (from ATWSError or a fault string). */
export function errorFromAutotaskMessages(messages: string[], status?: number): IntegrationError {
  const text = messages.join(' ').trim() || 'Autotask returned an error without a message.'
  const extra = status === undefined ? {} : { status }
  if (threadThreshold.test(text)) return autotaskError('thread_threshold', true, text, { ...extra, retryAfterSeconds: 2 })
  if (hourlyThreshold.test(text)) return autotaskError('hourly_threshold', true, text, { ...extra, retryAfterSeconds: 300 })
  if (integrationCodeProblem.test(text)) return autotaskError('integration_code', false, text, extra)
  return autotaskError('rejected', false, text, { ...extra, details: { messages } })
}

interface SoapLibraryError {
  code?: string
  message?: string
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }
  body?: unknown
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown; faultstring?: unknown } } } }
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT'])

function retryAfter(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.['retry-after']
  const seconds = typeof raw === 'string' ? Number(raw) : NaN
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

function bodyText(error: SoapLibraryError): string {
  const body = error.body ?? error.response?.data
  return typeof body === 'string' ? body : ''
}

function htmlTitle(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() || /<h1>([^<]*)<\/h1>/i.exec(html)?.[1]?.trim()
}

/** Maps an error the `soap` library or axios threw. */
export function errorFromTransport(cause: unknown, timeoutMs: number): IntegrationError {
  if (cause instanceof IntegrationError) return cause
  const error = (cause ?? {}) as SoapLibraryError
  const message = error.message ?? String(cause)
  // axios (under `soap`) stops at maxContentLength: see MAX_RESPONSE_BYTES.
  if (/maxContentLength size of \d+ exceeded/.test(message)) return responseTooLargeError('autotask', MAX_RESPONSE_BYTES, cause)
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/i.test(message)) {
    return autotaskError('timeout', true, `No answer from Autotask within ${timeoutMs} ms; the request may still have been carried out.`, { cause })
  }
  const faultString = error.root?.Envelope?.Body?.Fault?.faultstring
  const status = error.response?.status
  if (typeof faultString === 'string') {
    const classified = errorFromAutotaskMessages([faultString], status)
    if (classified.code !== 'rejected') return classified
    const serverSide = String(error.root?.Envelope?.Body?.Fault?.faultcode ?? '').endsWith('Server')
    return autotaskError('soap_fault', serverSide, faultString, { ...(status === undefined ? {} : { status }), cause })
  }
  if (status === 401) {
    return autotaskError('auth', false, htmlTitle(bodyText(error)) ?? 'HTTP 401 Unauthorized: the API user name or secret was refused.', { status, cause })
  }
  if (status !== undefined && status >= 500) {
    const seconds = retryAfter(error.response?.headers)
    return autotaskError('unavailable', true, htmlTitle(bodyText(error)) ?? `HTTP ${status} from Autotask.`, { status, cause, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) })
  }
  if (status === 429) {
    const seconds = retryAfter(error.response?.headers)
    return autotaskError('hourly_threshold', true, htmlTitle(bodyText(error)) ?? 'HTTP 429 from Autotask.', { status, cause, retryAfterSeconds: seconds ?? 60 })
  }
  if (status !== undefined && status !== 200) {
    return autotaskError('http_error', false, htmlTitle(bodyText(error)) ?? `HTTP ${status} from Autotask.`, { status, cause })
  }
  const html = bodyText(error)
  if (/api only users/i.test(html)) return autotaskError('not_api_user', false, htmlTitle(html) ?? 'Version 1.6 of the API is only accessible to API Only users.', { cause })
  if (error.code && networkCodes.has(error.code)) return autotaskError('network', true, `${error.code}: ${message}`, { cause })
  if (/socket hang up|network|ECONN/i.test(message)) return autotaskError('network', true, message, { cause })
  return autotaskError('unexpected_response', true, message, { cause, ...(status === undefined ? {} : { status }) })
}

/** Connection failures before a request leaves (axios puts the code on the error, fetch on its cause). */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

function neverSent(error: IntegrationError): boolean {
  const cause = error.cause as { code?: unknown; cause?: { code?: unknown } } | undefined
  const code = cause?.cause?.code ?? cause?.code
  return typeof code === 'string' && notSentCodes.has(code)
}

/**
 * A create call that failed: did Autotask perhaps save it? Refusals Autotask makes before it
 * processes anything (thresholds, credentials, the IntegrationCode, a rejected record, its 503
 * outage page, a refused connection) say no and are kept. A timeout, a dropped connection, a
 * server fault or a gateway's 5xx leave it open: `outcome_unknown`, so that nothing sends the
 * create again before the engine has looked the item up by its natural key.
 */
export function failedCreate(error: unknown): IntegrationError {
  const failure = error instanceof IntegrationError ? error : errorFromAutotaskMessages([String(error)])
  const mayHaveSaved =
    failure.code === 'timeout' ||
    failure.code === 'soap_fault' ||
    failure.code === 'unexpected_response' ||
    (failure.code === 'network' && !neverSent(failure)) ||
    (failure.code === 'unavailable' && failure.status !== 503)
  if (!mayHaveSaved) return failure
  return autotaskError(OUTCOME_UNKNOWN, true, `${failure.remoteMessage} Autotask may have saved it.`, { ...(failure.status === undefined ? {} : { status: failure.status }), cause: failure })
}

/** A create Autotask saved whose read-back failed: saved for sure, but what it holds is not known yet. */
export function savedButNotReadBack(error: unknown): IntegrationError {
  const failure = error instanceof IntegrationError ? error : errorFromAutotaskMessages([String(error)])
  return autotaskError(OUTCOME_UNKNOWN, true, `Autotask saved it but reading it back failed: ${failure.remoteMessage}`, { cause: failure })
}
