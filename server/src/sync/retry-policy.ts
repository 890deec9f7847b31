import { isIntegrationError } from '../errors/integration-error'

/** How long to wait before retrying after `error`; null when retrying cannot help (the inbox takes it). */
export function retryDelaySeconds(error: unknown): number | null {
  if (!isIntegrationError(error)) return 60
  if (!error.retryable) return null
  return Math.max(error.retryAfterSeconds ?? 0, 30)
}

export function retryAt(now: Date, error: unknown): Date | null {
  const delay = retryDelaySeconds(error)
  return delay === null ? null : new Date(now.getTime() + delay * 1000)
}

/** The remote's own words when it said something, else our message. */
export function remoteMessageOf(error: unknown): string | null {
  return isIntegrationError(error) ? error.remoteMessage : null
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function codeOf(error: unknown, fallback: string): string {
  return isIntegrationError(error) ? `${error.system}_${error.code}` : fallback
}
