/**
 * Zendesk's error envelopes, as the real API sends them: `{error, description, details}` for the
 * Support API (details keyed by field → `[{description, error}]`), `{errors:[…]}` for the newer
 * webhooks API, and the OAuth-style `{error, error_description}` on /oauth/tokens.
 */
export interface FieldProblem {
  description: string
  error?: string
}

export class EmulatorError extends Error {
  readonly status: number
  readonly body: unknown
  readonly headers: Record<string, string>

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`Zendesk emulator ${status}`)
    this.status = status
    this.body = body
    this.headers = headers
  }
}

export function recordNotFound(): EmulatorError {
  return new EmulatorError(404, { error: 'RecordNotFound', description: 'Not found' })
}

export function recordInvalid(details: Record<string, FieldProblem[]>): EmulatorError {
  return new EmulatorError(422, { error: 'RecordInvalid', description: 'Record validation errors', details })
}

/** An authenticated caller without the right (role, OAuth scope) for what it asked. */
export function forbidden(): EmulatorError {
  return new EmulatorError(403, {
    error: 'Forbidden',
    description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
  })
}

export function badRequest(error: string, description: string): EmulatorError {
  return new EmulatorError(400, { error, description })
}

export function tooManyRequests(retryAfterSeconds: number, description: string): EmulatorError {
  return new EmulatorError(429, { error: 'TooManyRequests', description }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) })
}

export function webhookError(status: number, code: string, title: string, detail: string): EmulatorError {
  return new EmulatorError(status, { errors: [{ code, title, detail }] })
}
