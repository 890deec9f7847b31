import { IntegrationError, OUTCOME_UNKNOWN, RATE_LIMITED } from '../../errors/integration-error'

/**
 * Zendesk's failures as IntegrationErrors, keeping Zendesk's own words. Bodies come in three
 * shapes: Support API `{error, description, details}` (error is sometimes `{title, message}`),
 * the webhooks API `{errors:[{code, title, detail}]}`, and OAuth `{error, error_description}`.
 */
export interface ZendeskErrorBody {
  error: string
  description: string | null
  details: unknown
}

export function readErrorBody(body: unknown, fallback: string): ZendeskErrorBody {
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>
    if (Array.isArray(record.errors) && record.errors.length > 0) {
      const first = (record.errors[0] ?? {}) as Record<string, unknown>
      return {
        error: String(first.code ?? first.title ?? fallback),
        description: typeof first.detail === 'string' ? first.detail : typeof first.title === 'string' ? first.title : null,
        details: record.errors,
      }
    }
    if (record.error !== null && typeof record.error === 'object') {
      const nested = record.error as Record<string, unknown>
      return { error: String(nested.title ?? fallback), description: typeof nested.message === 'string' ? nested.message : null, details: record.details }
    }
    if (typeof record.error === 'string') {
      const description =
        typeof record.description === 'string' ? record.description : typeof record.error_description === 'string' ? record.error_description : null
      return { error: record.error, description, details: record.details }
    }
  }
  if (typeof body === 'string' && body.trim() !== '') return { error: body.trim().slice(0, 300), description: null, details: undefined }
  return { error: fallback, description: null, details: undefined }
}

function detailsMention(details: unknown, pattern: RegExp): boolean {
  return details !== undefined && pattern.test(JSON.stringify(details))
}

function codeFor(status: number, parsed: ZendeskErrorBody): { code: string; retryable: boolean } {
  if (status === 429) return { code: RATE_LIMITED, retryable: true }
  if (status >= 500) return { code: 'server_error', retryable: true }
  if (status === 401) return { code: 'unauthorized', retryable: false }
  if (status === 403) return { code: 'forbidden', retryable: false }
  if (status === 404) return { code: 'not_found', retryable: false }
  // Safe Update conflict: re-read the ticket and plan again.
  if (status === 409) return { code: 'conflict', retryable: true }
  if (status === 422) {
    if (detailsMention(parsed.details, /closed prevents ticket update/i)) return { code: 'ticket_closed', retryable: false }
    if (detailsMention(parsed.details, /TooManyComments|maximum of \d+ comments/i)) return { code: 'comment_limit', retryable: false }
    return { code: 'invalid', retryable: false }
  }
  if (status === 400 && /^(invalid_grant|invalid_client|unsupported_grant_type|invalid_request|invalid_scope)$/.test(parsed.error)) {
    return { code: `oauth_${parsed.error}`, retryable: false }
  }
  return { code: 'bad_request', retryable: false }
}

export function zendeskHttpError(status: number, body: unknown, retryAfterSeconds?: number): IntegrationError {
  const parsed = readErrorBody(body, `HTTP ${status}`)
  const { code, retryable } = codeFor(status, parsed)
  return new IntegrationError({
    system: 'zendesk',
    code: status === 401 && parsed.error.startsWith('invalid_client') ? 'oauth_invalid_client' : code,
    retryable,
    remoteMessage: parsed.description ?? parsed.error,
    status,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    details: { error: parsed.error, description: parsed.description, details: parsed.details },
  })
}

export function zendeskNetworkError(cause: unknown, timedOut: boolean): IntegrationError {
  return new IntegrationError({
    system: 'zendesk',
    code: timedOut ? 'timeout' : 'network',
    retryable: true,
    remoteMessage: timedOut ? 'Zendesk did not answer in time' : cause instanceof Error ? cause.message : String(cause),
    cause,
  })
}

export function zendeskProtocolError(message: string, details?: unknown): IntegrationError {
  return new IntegrationError({ system: 'zendesk', code: 'unexpected_response', retryable: false, remoteMessage: message, details })
}

/**
 * A write that reached Zendesk (or may have) without an answer saying what became of it: a
 * timeout, a dropped connection, a 5xx other than Zendesk's own "not processed" 503. Sending it
 * again could post a comment twice, so it is not resent here; the caller looks first.
 */
export function zendeskOutcomeUnknown(cause: { status?: number; body?: unknown; timedOut?: boolean; error?: unknown }): IntegrationError {
  const heard =
    cause.status !== undefined
      ? `HTTP ${cause.status}: ${readErrorBody(cause.body, `HTTP ${cause.status}`).error}`
      : cause.timedOut
        ? 'Zendesk did not answer in time'
        : `the connection failed: ${cause.error instanceof Error ? cause.error.message : String(cause.error)}`
  return new IntegrationError({
    system: 'zendesk',
    code: OUTCOME_UNKNOWN,
    retryable: true,
    remoteMessage: `${heard}; Zendesk may have saved the change`,
    ...(cause.status !== undefined ? { status: cause.status } : {}),
    ...(cause.error !== undefined ? { cause: cause.error } : {}),
  })
}
