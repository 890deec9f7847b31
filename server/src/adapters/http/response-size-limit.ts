import { IntegrationError, type IntegrationSystem } from '../../errors/integration-error'

/**
 * The most PSA Link reads of one response from Zendesk or Autotask. The largest real answers are
 * a page of 500 TicketNotes of up to 32,000 characters each (about 16 MB of JSON or XML, more with
 * escaping) and a page of 100 Zendesk comments with their HTML; anything far beyond that is a
 * broken or hostile endpoint, and reading it whole would exhaust memory before any parsing.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

const systemNames: Record<IntegrationSystem, string> = { autotask: 'Autotask', zendesk: 'Zendesk' }

/** Not retryable: the same request would bring the same answer. */
export function responseTooLargeError(system: IntegrationSystem, limitBytes: number = MAX_RESPONSE_BYTES, cause?: unknown): IntegrationError {
  return new IntegrationError({
    system,
    code: 'response_too_large',
    retryable: false,
    remoteMessage: `${systemNames[system]} answered with more than ${Math.round(limitBytes / (1024 * 1024))} MiB; PSA Link stopped reading it (no answer it asks for is that large).`,
    cause,
  })
}

/**
 * Reads a fetch response's body as UTF-8 text, stopping (and cancelling the download) as soon as
 * it grows past `limitBytes`, whatever Content-Length claims.
 */
export async function readTextWithinLimit(response: Response, system: IntegrationSystem, limitBytes: number = MAX_RESPONSE_BYTES): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > limitBytes) {
    await response.body?.cancel()
    throw responseTooLargeError(system, limitBytes)
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limitBytes) {
      await reader.cancel()
      throw responseTooLargeError(system, limitBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total).toString('utf8')
}
