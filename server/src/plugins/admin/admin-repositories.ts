import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createAdminAuditRepository, type AdminAuditRepository } from '../../db/repositories/admin-audit-repository'
import { createAdminConnectionsRepository, type AdminConnectionsRepository } from '../../db/repositories/admin-connections-repository'
import { createAdminMonitorRepository, type AdminMonitorRepository } from '../../db/repositories/admin-monitor-repository'
import { createAdminNeedsActionRepository, type AdminNeedsActionRepository } from '../../db/repositories/admin-needs-action-repository'
import { createAdminSessionsRepository, type AdminSessionsRepository } from '../../db/repositories/admin-sessions-repository'
import { createAdminUsersRepository, type AdminUsersRepository } from '../../db/repositories/admin-users-repository'
import { createAdminZendeskRepository, type AdminZendeskRepository } from '../../db/repositories/admin-zendesk-repository'

declare module 'fastify' {
  interface FastifyInstance {
    /** The console's administrators and their passwords. */
    users: AdminUsersRepository
    /** Signed-in sessions of the console. */
    sessions: AdminSessionsRepository
    /** Who changed what in the console. */
    audit: AdminAuditRepository
    /** Runs, problems and links as the monitor shows them. */
    monitor: AdminMonitorRepository
    /** Tickets waiting on an admin's decision. */
    needsAction: AdminNeedsActionRepository
    /** The Autotask connections as the console edits them. */
    connections: AdminConnectionsRepository
    /** The Zendesk account's settings as the console edits them. */
    zendeskSettings: AdminZendeskRepository
  }
}

/** A named plugin that decorates the app with one repository. */
function repositoryPlugin<K extends keyof FastifyInstance>(
  decorator: K,
  name: string,
  dependencies: string[],
  create: (app: FastifyInstance) => FastifyInstance[K],
) {
  return fp(
    async (app) => {
      // The key and its type are tied by the signature; decorate's own overloads cannot follow a generic key.
      app.decorate(decorator as string, create(app) as object)
    },
    { name, dependencies },
  )
}

/** The admin console's repositories, one named plugin each. */
export const adminUsers = repositoryPlugin('users', 'admin-users', ['database'], (app) => createAdminUsersRepository(app.db.pool))
export const adminSessions = repositoryPlugin('sessions', 'admin-sessions', ['database'], (app) => createAdminSessionsRepository(app.db.pool))
export const adminAudit = repositoryPlugin('audit', 'admin-audit', ['database'], (app) => createAdminAuditRepository(app.db.pool))
export const adminMonitor = repositoryPlugin('monitor', 'admin-monitor', ['database'], (app) => createAdminMonitorRepository(app.db.pool))
export const adminNeedsAction = repositoryPlugin('needsAction', 'admin-needs-action', ['database'], (app) => createAdminNeedsActionRepository(app.db.pool))
export const adminConnections = repositoryPlugin('connections', 'admin-connections', ['database', 'secrets'], (app) =>
  createAdminConnectionsRepository(app.db.pool, app.secrets),
)
export const adminZendeskSettings = repositoryPlugin('zendeskSettings', 'admin-zendesk-settings', ['database', 'secrets'], (app) =>
  createAdminZendeskRepository(app.db.pool, app.secrets),
)
