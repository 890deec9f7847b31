import type { MonitorScope } from '../db/repositories/admin-monitor-repository'
import { forbidden } from './admin-error'

/** The signed-in admin, as every admin route sees them. */
export interface AdminPrincipal {
  userId: number
  email: string
  accountId: number
  /** Set for an admin limited to one Autotask connection. */
  connectionId: number | null
  mustChangePassword: boolean
  /** A Zendesk agent let in read-only: every change is refused. */
  readOnly: boolean
  csrfToken: string
  sessionToken: string
}

export function scopeOf(admin: AdminPrincipal): MonitorScope {
  return { accountId: admin.accountId, connectionId: admin.connectionId }
}

/** Zendesk settings, admin logins, new connections and backfills belong to admins of the whole account. */
export function requireAccountAdmin(admin: AdminPrincipal): void {
  if (admin.connectionId !== null) throw forbidden('Your admin login is limited to one Autotask connection; ask an admin of the whole Zendesk account.')
}

export function canSeeConnection(admin: AdminPrincipal, connectionId: number): boolean {
  return admin.connectionId === null || admin.connectionId === connectionId
}
