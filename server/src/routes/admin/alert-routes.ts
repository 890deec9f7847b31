import { Alerts, Done, IdParams, NewAlertTarget, NewAlertTargetBody, SmtpBody } from '@psa-link/shared/admin-api'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { webhookUrlProblem } from '../../adapters/alerts/alert-delivery'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

/**
 * Alerts: an account's targets (email addresses, Slack/Teams-compatible webhooks), its own SMTP
 * server (the password sealed, never sent back) and "send test". Admins of the whole account only;
 * every change is audited, without secrets.
 */
const alertRoutes: AdminRoutesPlugin<{ allowLoopbackWebhooks: boolean }> = async (fastify, options) => {
  const { alerter } = fastify
  const { repository } = alerter
  const { audit } = fastify
  const allowLoopback = options.allowLoopbackWebhooks

  fastify.get('/api/alerts', { schema: { response: { 200: Alerts } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const [targets, smtp, effective] = await Promise.all([
      repository.targets(admin.accountId),
      repository.smtp(admin.accountId),
      alerter.smtpFor(admin.accountId),
    ])
    return {
      targets,
      smtp: smtp
        ? { host: smtp.host, port: smtp.port, secure: smtp.secure, username: smtp.username, from: smtp.from, passwordSet: Boolean(smtp.password) }
        : null,
      smtpFromEnvironment: !smtp && effective !== null,
    }
  })

  fastify.post(
    '/api/alerts/targets',
    { preValidation: accountAdminOnly, schema: { body: NewAlertTargetBody, response: { 200: NewAlertTarget } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const body = request.body
      const address = body.address.trim()
      if (body.kind === 'email' && (!EMAIL.test(address) || address.length > 254))
        throw invalidInput({ address: 'Enter an email address, e.g. oncall@example.com.' })
      if (body.kind === 'webhook') {
        const problem = webhookUrlProblem(address, allowLoopback)
        if (problem) throw invalidInput({ address: problem })
      }
      const id = await repository.addTarget(admin.accountId, body.kind, address)
      if (id === null) throw invalidInput({ address: 'This target is already there.' })
      // A webhook URL is itself a credential (anyone holding it can post): the audit keeps its host only.
      await audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'alert_target_added',
        details: { targetId: id, kind: body.kind, address: body.kind === 'email' ? address : new URL(address).host },
      })
      return { id }
    },
  )

  fastify.delete('/api/alerts/targets/:id', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Done } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const removed = await repository.removeTarget(admin.accountId, request.params.id)
    if (!removed) throw notFound('That alert target')
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'alert_target_removed',
      details: { targetId: removed.id, kind: removed.kind, address: removed.kind === 'email' ? removed.address : new URL(removed.address).host },
    })
    return { ok: true }
  })

  fastify.post('/api/alerts/targets/:id/test', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Done } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const target = (await repository.targets(admin.accountId)).find((candidate) => candidate.id === request.params.id)
    if (!target) throw notFound('That alert target')
    try {
      await alerter.sendTest(target)
    } catch (error) {
      await audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'alert_test_failed',
        details: { targetId: target.id, kind: target.kind },
      })
      throw new AdminError(502, 'alert_not_delivered', `The test alert was not delivered: ${error instanceof Error ? error.message : String(error)}`)
    }
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'alert_test_sent',
      details: { targetId: target.id, kind: target.kind },
    })
    return { ok: true }
  })

  fastify.put('/api/alerts/smtp', { preValidation: accountAdminOnly, schema: { body: SmtpBody, response: { 200: Done } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const body = request.body
    const text = (name: 'host' | 'username' | 'password' | 'from') => body[name]?.trim() ?? ''
    const port = body.port
    // An empty password field keeps the stored one; `clearPassword` removes it.
    const password = body.clearPassword === true ? null : text('password') || undefined
    await repository.saveSmtp(admin.accountId, {
      host: text('host'),
      port,
      secure: body.secure === true,
      username: text('username') || null,
      password,
      from: text('from'),
    })
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'alert_smtp_saved',
      details: { host: text('host'), port, secure: body.secure === true, username: text('username') || null, passwordChanged: password !== undefined },
    })
    return { ok: true }
  })

  fastify.delete('/api/alerts/smtp', { schema: { response: { 200: Done } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    await repository.removeSmtp(admin.accountId)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_smtp_removed', details: {} })
    return { ok: true }
  })
}

export default alertRoutes
