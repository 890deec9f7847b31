import type { FastifyPluginAsync } from 'fastify'
import { AdminError, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { describeAuditEntry } from '../../admin/audit-sentences'
import { EMAIL_PATTERN, readForm } from '../../admin/form-input'
import { generateTemporaryPassword, hashPassword } from '../../admin/passwords'
import type { WorkLimiter } from '../../admin/work-limiter'
import { adminOf } from './admin-auth'
import { busy } from './sign-in-rate-limit'

export interface AuditRoutesOptions {
  hashing: WorkLimiter
}

/** The audit log, and the account's admin logins (each with a first password to change at sign-in). */
const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (fastify, options) => {
  const { audit, users } = fastify
  const { tenants } = fastify

  fastify.get('/api/audit', async (request) => {
    const admin = adminOf(request)
    const entries = await audit.list(admin.accountId, { connectionId: admin.connectionId, limit: 200 })
    return { entries: entries.map((entry) => ({ ...entry, ...describeAuditEntry(entry) })) }
  })

  fastify.get('/api/users', async (request) => {
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

  fastify.post('/api/users', async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const form = readForm(request.body)
    const email = form.text('email', 'Email', { max: 254, pattern: EMAIL_PATTERN, patternMessage: 'Enter an email address such as name@example.com.' })
    const connectionId = form.integer('connectionId', 'Connection', { min: 1 })
    form.done()
    if (connectionId !== null && !(await tenants.listConnections(admin.accountId)).some((connection) => connection.id === connectionId)) {
      form.fail('connectionId', 'Choose one of this account’s connections.')
    }
    form.done()
    const password = generateTemporaryPassword()
    const passwordHash = await options.hashing.run(() => hashPassword(password)).catch((error: unknown) => busy(reply, error))
    const id = await users.create({ zendeskAccountId: admin.accountId, connectionId, email, passwordHash })
    if (id === null) {
      form.fail('email', 'An admin with this email already exists in this account.')
      form.done()
    }
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'admin_user_created', details: { email, ...(connectionId ? { connectionId } : {}) } })
    return reply.status(201).send({ id, email, temporaryPassword: password })
  })

  fastify.delete<{ Params: { id: string } }>('/api/users/:id', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const id = Number(request.params.id)
    if (id === admin.userId) throw new AdminError(409, 'self', 'You cannot remove your own login.')
    if (!Number.isSafeInteger(id) || !(await users.remove(admin.accountId, id))) throw notFound('That admin')
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'admin_user_removed', details: { id } })
    return { removed: true }
  })
}

export default auditRoutes
