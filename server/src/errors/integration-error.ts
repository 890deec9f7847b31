/**
 * The one error type adapters throw. Jobs retry the `retryable` ones and file the rest in the
 * error inbox with the remote's own words (`remoteMessage`), so an admin reads what Autotask or
 * Zendesk said, not our paraphrase.
 */
export type IntegrationSystem = 'autotask' | 'zendesk'

export interface IntegrationErrorDetails {
  system: IntegrationSystem
  code: string
  retryable: boolean
  remoteMessage: string
  /** The transport's status (HTTP), for the adapters' own decisions; the engine goes by `code`. */
  status?: number
  /** Seconds the remote asked us to wait (Retry-After), when it said. */
  retryAfterSeconds?: number
  details?: unknown
  cause?: unknown
}

export class IntegrationError extends Error {
  readonly system: IntegrationSystem
  readonly code: string
  readonly retryable: boolean
  readonly remoteMessage: string
  readonly status: number | undefined
  readonly retryAfterSeconds: number | undefined
  readonly details: unknown

  constructor(details: IntegrationErrorDetails) {
    super(`${details.system} ${details.code}: ${details.remoteMessage}`, { cause: details.cause })
    this.name = 'IntegrationError'
    this.system = details.system
    this.code = details.code
    this.retryable = details.retryable
    this.remoteMessage = details.remoteMessage
    this.status = details.status
    this.retryAfterSeconds = details.retryAfterSeconds
    this.details = details.details
  }
}

export function isIntegrationError(error: unknown): error is IntegrationError {
  return error instanceof IntegrationError
}

/**
 * A write whose outcome is unknown: it may have taken effect, but its answer was lost (a timeout,
 * a dropped connection, a gateway's 5xx). Retryable, never blindly: the item is first looked up by
 * its natural key, and written again only when it is not there.
 */
export const OUTCOME_UNKNOWN = 'outcome_unknown'

export function isOutcomeUnknown(error: unknown): boolean {
  return isIntegrationError(error) && error.code === OUTCOME_UNKNOWN
}

/**
 * The remote refused the request unprocessed because of one of its rate limits: nothing was
 * written, and `retryAfterSeconds` says when to try again when the remote said.
 */
export const RATE_LIMITED = 'rate_limited'

export function isRateLimited(error: unknown): boolean {
  return isIntegrationError(error) && error.code === RATE_LIMITED
}
