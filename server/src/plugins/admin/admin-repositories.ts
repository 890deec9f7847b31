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

/** The admin console's repositories, one named plugin each. */
export const adminUsers = fp(async (app) => {
  app.decorate('users', createAdminUsersRepository(app.db.pool))
}, { name: 'admin-users', dependencies: ['database'] })
export const adminSessions = fp(async (app) => {
  app.decorate('sessions', createAdminSessionsRepository(app.db.pool))
}, { name: 'admin-sessions', dependencies: ['database'] })
export const adminAudit = fp(async (app) => {
  app.decorate('audit', createAdminAuditRepository(app.db.pool))
}, { name: 'admin-audit', dependencies: ['database'] })
export const adminMonitor = fp(async (app) => {
  app.decorate('monitor', createAdminMonitorRepository(app.db.pool))
}, { name: 'admin-monitor', dependencies: ['database'] })
export const adminNeedsAction = fp(async (app) => {
  app.decorate('needsAction', createAdminNeedsActionRepository(app.db.pool))
}, { name: 'admin-needs-action', dependencies: ['database'] })
export const adminConnections = fp(async (app) => {
  app.decorate('connections', createAdminConnectionsRepository(app.db.pool, app.secrets))
}, {
  name: 'admin-connections',
  dependencies: ['database', 'secrets'],
})
export const adminZendeskSettings = fp(async (app) => {
  app.decorate('zendeskSettings', createAdminZendeskRepository(app.db.pool, app.secrets))
}, {
  name: 'admin-zendesk-settings',
  dependencies: ['database', 'secrets'],
})
