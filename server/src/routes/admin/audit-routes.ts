import { AdminLogins, AuditLog, IdParams, NewAdminLogin, NewAdminLoginBody, Removed } from '@psa-link/shared/admin-api'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { describeAuditEntry } from '../../admin/audit-sentences'
import { generateTemporaryPassword, hashPassword } from '../../admin/passwords'
import type { WorkLimiter } from '../../admin/work-limiter'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { busy } from './sign-in-rate-limit'

export interface AuditRoutesOptions {
  hashing: WorkLimiter
}

/** The audit log, and the account's admin logins (each with a first password to change at sign-in). */
const auditRoutes: AdminRoutesPlugin<AuditRoutesOptions> = async (fastify, options) => {
  const { audit, users } = fastify
  const { tenants } = fastify

  fastify.get('/api/audit', { schema: { response: { 200: AuditLog } } }, async (request) => {
    const admin = adminOf(request)
    const entries = await audit.list(admin.accountId, { connectionId: admin.connectionId, limit: 200 })
    return { entries: entries.map((entry) => ({ ...entry, ...describeAuditEntry(entry) })) }
  })

  fastify.get('/api/users', { schema: { response: { 200: AdminLogins } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const list = await users.list(admin.accountId)
    return {
      users: list.map((user) => ({
        id: user.id,
        email: user.email,
        connectionId: user.connectionId,
        mustChangePassword: user.mustChangePassword,
        lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null,
      })),
    }
  })

  fastify.post(
    '/api/users',
    { preValidation: accountAdminOnly, schema: { body: NewAdminLoginBody, response: { 201: NewAdminLogin } } },
    async (request, reply) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const email = request.body.email.trim()
      const connectionId = request.body.connectionId ?? null
      if (connectionId !== null && !(await tenants.listConnections(admin.accountId)).some((connection) => connection.id === connectionId)) {
        throw invalidInput({ connectionId: 'Choose one of this account’s connections.' })
      }
      const password = generateTemporaryPassword()
      const passwordHash = await options.hashing.run(() => hashPassword(password)).catch((error: unknown) => busy(reply, error))
      const id = await users.create({ zendeskAccountId: admin.accountId, connectionId, email, passwordHash })
      if (id === null) throw invalidInput({ email: 'An admin with this email already exists in this account.' })
      await audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'admin_user_created',
        details: { email, ...(connectionId ? { connectionId } : {}) },
      })
      return reply.status(201).send({ id, email, temporaryPassword: password })
    },
  )

  fastify.delete('/api/users/:id', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Removed } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const { id } = request.params
    if (id === admin.userId) throw new AdminError(409, 'self', 'You cannot remove your own login.')
    if (!(await users.remove(admin.accountId, id))) throw notFound('That admin')
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'admin_user_removed', details: { id } })
    return { removed: true }
  })
}

export default auditRoutes
