import { IntegrationError } from '../../../errors/integration-error'
import { MAX_RESPONSE_BYTES, responseTooLargeError } from '../../http/response-size-limit'
import { autotaskError, errorFromAutotaskMessages, htmlTitle, timedOut } from '../core/autotask-errors'

/**
 * What the `soap` library (and axios under it) threw, as one IntegrationError: SOAP faults by
 * Autotask's words, HTTP failures by status, and the network.
 */

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

/** Maps an error the `soap` library or axios threw. */
export function errorFromTransport(cause: unknown, timeoutMs: number): IntegrationError {
  if (cause instanceof IntegrationError) return cause
  const error = (cause ?? {}) as SoapLibraryError
  const message = error.message ?? String(cause)
  // axios (under `soap`) stops at maxContentLength: see MAX_RESPONSE_BYTES.
  if (/maxContentLength size of \d+ exceeded/.test(message)) return responseTooLargeError('autotask', MAX_RESPONSE_BYTES, cause)
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/i.test(message)) {
    return timedOut(timeoutMs, cause)
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
    return autotaskError('unavailable', true, htmlTitle(bodyText(error)) ?? `HTTP ${status} from Autotask.`, {
      status,
      cause,
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
    })
  }
  if (status === 429) {
    const seconds = retryAfter(error.response?.headers)
    return autotaskError('hourly_threshold', true, htmlTitle(bodyText(error)) ?? 'HTTP 429 from Autotask.', { status, cause, retryAfterSeconds: seconds ?? 60 })
  }
  if (status !== undefined && status !== 200) {
    return autotaskError('http_error', false, htmlTitle(bodyText(error)) ?? `HTTP ${status} from Autotask.`, { status, cause })
  }
  const html = bodyText(error)
  if (/api only users/i.test(html))
    return autotaskError('not_api_user', false, htmlTitle(html) ?? 'Version 1.6 of the API is only accessible to API Only users.', { cause })
  if (error.code && networkCodes.has(error.code)) return autotaskError('network', true, `${error.code}: ${message}`, { cause })
  if (/socket hang up|network|ECONN/i.test(message)) return autotaskError('network', true, message, { cause })
  return autotaskError('unexpected_response', true, message, { cause, ...(status === undefined ? {} : { status }) })
}
