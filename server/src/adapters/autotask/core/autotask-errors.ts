import { IntegrationError, OUTCOME_UNKNOWN } from '../../../errors/integration-error'

/**
 * What both transports make of Autotask's failures: its own words classified, and what a failed
 * create means. Each transport maps its library's failures on top (soap/soap-errors.ts,
 * rest/rest-errors.ts). Autotask never documented how it words its thread and hourly threshold
 * errors, so they are recognised by their words wherever they come from.
 */

const threadThreshold = /thread threshold/i
const hourlyThreshold = /(request|external) threshold|threshold of external request|requests per (60 minutes|hour)/i
const integrationCodeProblem = /integration ?code|tracking identifier/i

export function autotaskError(
  code: string,
  retryable: boolean,
  remoteMessage: string,
  extra: { status?: number; retryAfterSeconds?: number; cause?: unknown; details?: unknown } = {},
): IntegrationError {
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

/** The title of an HTML error page (IIS, a gateway), when Autotask answered with one. */
export function htmlTitle(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() || /<h1>([^<]*)<\/h1>/i.exec(html)?.[1]?.trim()
}

/** No answer within the client's timeout: Autotask may still carry the request out. */
export function timedOut(timeoutMs: number, cause: unknown): IntegrationError {
  return autotaskError('timeout', true, `No answer from Autotask within ${timeoutMs} ms; the request may still have been carried out.`, { cause })
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
  return autotaskError(OUTCOME_UNKNOWN, true, `${failure.remoteMessage} Autotask may have saved it.`, {
    ...(failure.status === undefined ? {} : { status: failure.status }),
    cause: failure,
  })
}

/** A create Autotask saved whose read-back failed: saved for sure, but what it holds is not known yet. */
export function savedButNotReadBack(error: unknown): IntegrationError {
  const failure = error instanceof IntegrationError ? error : errorFromAutotaskMessages([String(error)])
  return autotaskError(OUTCOME_UNKNOWN, true, `Autotask saved it but reading it back failed: ${failure.remoteMessage}`, { cause: failure })
}
