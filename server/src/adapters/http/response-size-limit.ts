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
 * Gathers a body's chunks and stops as soon as they grow past `limitBytes`: `add` throws, and the
 * caller's reader cancels the download (breaking out of a stream's iteration does).
 */
function createBoundedText(system: IntegrationSystem, limitBytes: number) {
  const chunks: Uint8Array[] = []
  let total = 0
  return {
    add(chunk: Uint8Array): void {
      total += chunk.byteLength
      if (total > limitBytes) throw responseTooLargeError(system, limitBytes)
      chunks.push(chunk)
    },
    text: (): string => Buffer.concat(chunks, total).toString('utf8'),
  }
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
  const body = createBoundedText(system, limitBytes)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    try {
      body.add(value)
    } catch (error) {
      await reader.cancel()
      throw error
    }
  }
  return body.text()
}

/**
 * The same for a Node stream (an undici or node:http response body): a body that claims or grows
 * past `limitBytes` is destroyed, which closes its connection instead of reading the rest.
 */
export async function readStreamWithinLimit(
  stream: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  declaredLength: number,
  system: IntegrationSystem,
  limitBytes: number = MAX_RESPONSE_BYTES,
): Promise<string> {
  if (declaredLength > limitBytes) {
    stream.destroy()
    throw responseTooLargeError(system, limitBytes)
  }
  const body = createBoundedText(system, limitBytes)
  // A throw inside for-await destroys the stream (its iterator's return()).
  for await (const chunk of stream) body.add(chunk)
  return body.text()
}
