import { IntegrationError } from '../../../errors/integration-error'

/** The tenant's API endpoint before and after Autotask moved it to another zone. */
export interface ZoneMove {
  from: string
  to: string
}

/**
 * Whether an error is one a zone gives for a user it no longer hosts. Autotask moves tenants
 * between zones (Australia 6 -> 29 in March 2026); the old zone then refuses the user with 401 or
 * 404, or REST's "Zone information could not be determined". An outage (503) or a fault is not
 * one: those say nothing about where the tenant lives.
 */
export function isMovedZoneError(error: unknown): boolean {
  if (!(error instanceof IntegrationError) || error.system !== 'autotask') return false
  if (error.status === 401 || error.status === 404) return true
  return /zone information could not be determined/i.test(error.remoteMessage)
}
