import type { FastifyPluginAsync } from 'fastify'
import { AdminError, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { readForm } from '../../admin/form-input'
import { ensureLinkFields, LINK_FIELD_TITLES } from '../../adapters/zendesk'
import { IntegrationError } from '../../errors/integration-error'
import { adminOf } from './admin-auth'

/**
 * Zendesk-side visibility: whether the linked Autotask ticket's number and status are written to
 * Zendesk (on by default), and the two ticket fields PSA Link creates for them.
 */
const zendeskVisibilityRoutes: FastifyPluginAsync = async (fastify) => {
  const { tenants } = fastify

  async function accountOf(accountId: number) {
    const account = await tenants.getAccount(accountId)
    if (!account) throw notFound('Your Zendesk account')
    return account
  }

  fastify.get('/api/zendesk/visibility', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin.accountId)
    return { enabled: account.showLinksInZendesk, fields: account.linkFields, titles: LINK_FIELD_TITLES, tag: 'psa_link_linked' }
  })

  fastify.put('/api/zendesk/visibility', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const form = readForm(request.body)
    const enabled = form.boolean('enabled')
    form.done()
    const account = await accountOf(admin.accountId)
    await fastify.zendeskSettings.saveShowLinksInZendesk(account.id, enabled)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'zendesk_visibility_changed', details: { before: account.showLinksInZendesk, after: enabled } })
    return { enabled }
  })

  fastify.post('/api/zendesk/visibility/fields', async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin.accountId)
    let fields
    try {
      fields = await ensureLinkFields(fastify.zendeskClient(account))
    } catch (failure) {
      if (failure instanceof IntegrationError) throw new AdminError(502, `zendesk_${failure.code}`, `Zendesk answered: ${failure.remoteMessage}`)
      throw failure
    }
    await tenants.saveLinkFields(account.id, fields)
    await fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: 'link_fields_created', details: { ...fields } })
    return { fields }
  })
}

export default zendeskVisibilityRoutes
