import type { FastifyPluginAsync } from 'fastify'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { webhookUrlProblem } from '../../adapters/alerts/alert-delivery'
import { adminOf } from './admin-auth'

type Params = { Params: { id: string } }

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

/**
 * Alerts: an account's targets (email addresses, Slack/Teams-compatible webhooks), its own SMTP
 * server (the password sealed, never sent back) and "send test". Admins of the whole account only;
 * every change is audited, without secrets.
 */
const alertRoutes: FastifyPluginAsync<{ allowLoopbackWebhooks: boolean }> = async (fastify, options) => {
  const { alerter } = fastify
  const { repository } = alerter
  const { audit } = fastify
  const allowLoopback = options.allowLoopbackWebhooks

  fastify.get('/api/alerts', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const [targets, smtp, effective] = await Promise.all([repository.targets(admin.accountId), repository.smtp(admin.accountId), alerter.smtpFor(admin.accountId)])
    return {
      targets,
      smtp: smtp ? { host: smtp.host, port: smtp.port, secure: smtp.secure, username: smtp.username, from: smtp.from, passwordSet: Boolean(smtp.password) } : null,
      smtpFromEnvironment: !smtp && effective !== null,
    }
  })

  fastify.post('/api/alerts/targets', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const body = (request.body ?? {}) as { kind?: unknown; address?: unknown }
    const address = typeof body.address === 'string' ? body.address.trim() : ''
    if (body.kind !== 'email' && body.kind !== 'webhook') throw invalidInput({ kind: 'Choose email or webhook.' })
    if (body.kind === 'email' && (!EMAIL.test(address) || address.length > 254)) throw invalidInput({ address: 'Enter an email address, e.g. oncall@example.com.' })
    if (body.kind === 'webhook') {
      const problem = address.length > 2000 ? 'That URL is too long.' : webhookUrlProblem(address, allowLoopback)
      if (problem) throw invalidInput({ address: problem })
    }
    const id = await repository.addTarget(admin.accountId, body.kind, address)
    if (id === null) throw invalidInput({ address: 'This target is already there.' })
    // A webhook URL is itself a credential (anyone holding it can post): the audit keeps its host only.
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_target_added', details: { targetId: id, kind: body.kind, address: body.kind === 'email' ? address : new URL(address).host } })
    return { id }
  })

  fastify.delete<Params>('/api/alerts/targets/:id', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const removed = await repository.removeTarget(admin.accountId, Number(request.params.id))
    if (!removed) throw notFound('That alert target')
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_target_removed', details: { targetId: removed.id, kind: removed.kind, address: removed.kind === 'email' ? removed.address : new URL(removed.address).host } })
    return { ok: true }
  })

  fastify.post<Params>('/api/alerts/targets/:id/test', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const target = (await repository.targets(admin.accountId)).find((candidate) => candidate.id === Number(request.params.id))
    if (!target) throw notFound('That alert target')
    try {
      await alerter.sendTest(target)
    } catch (error) {
      await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_test_failed', details: { targetId: target.id, kind: target.kind } })
      throw new AdminError(502, 'alert_not_delivered', `The test alert was not delivered: ${error instanceof Error ? error.message : String(error)}`)
    }
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_test_sent', details: { targetId: target.id, kind: target.kind } })
    return { ok: true }
  })

  fastify.put('/api/alerts/smtp', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const body = (request.body ?? {}) as Record<string, unknown>
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '')
    const port = Number(body.port)
    const errors: Record<string, string> = {}
    if (!/^[a-zA-Z0-9.-]{1,253}$/.test(text('host'))) errors.host = 'Enter the SMTP server’s host name, e.g. smtp.example.com.'
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'Enter a port between 1 and 65535 (587 or 465 usually).'
    if (text('from').length < 3 || !text('from').includes('@')) errors.from = 'Enter the sender address, e.g. alerts@example.com.'
    if (Object.keys(errors).length > 0) throw invalidInput(errors)
    // An empty password field keeps the stored one; `clearPassword` removes it.
    const password = body.clearPassword === true ? null : text('password') || undefined
    await repository.saveSmtp(admin.accountId, { host: text('host'), port, secure: body.secure === true, username: text('username') || null, password, from: text('from') })
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_smtp_saved', details: { host: text('host'), port, secure: body.secure === true, username: text('username') || null, passwordChanged: password !== undefined } })
    return { ok: true }
  })

  fastify.delete('/api/alerts/smtp', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    await repository.removeSmtp(admin.accountId)
    await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'alert_smtp_removed', details: {} })
    return { ok: true }
  })
}

export default alertRoutes
