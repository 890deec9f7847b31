import { LinkFieldsCreated, Visibility, VisibilityBody, VisibilityReply } from '@psa-link/shared/admin-api'
import { AdminError, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { ensureLinkFields, LINK_FIELD_TITLES } from '../../adapters/zendesk'
import { IntegrationError } from '../../errors/integration-error'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

/**
 * Zendesk-side visibility: whether the linked Autotask ticket's number and status are written to
 * Zendesk (on by default), and the two ticket fields PSA Link creates for them.
 */
const zendeskVisibilityRoutes: AdminRoutesPlugin = async (fastify) => {
  const { tenants } = fastify

  async function accountOf(accountId: number) {
    const account = await tenants.getAccount(accountId)
    if (!account) throw notFound('Your Zendesk account')
    return account
  }

  fastify.get('/api/zendesk/visibility', { schema: { response: { 200: Visibility } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await accountOf(admin.accountId)
    return { enabled: account.showLinksInZendesk, fields: account.linkFields, titles: LINK_FIELD_TITLES, tag: 'psa_link_linked' }
  })

  fastify.put(
    '/api/zendesk/visibility',
    { preValidation: accountAdminOnly, schema: { body: VisibilityBody, response: { 200: VisibilityReply } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { enabled } = request.body
      const account = await accountOf(admin.accountId)
      await fastify.zendeskSettings.saveShowLinksInZendesk(account.id, enabled)
      await fastify.audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'zendesk_visibility_changed',
        details: { before: account.showLinksInZendesk, after: enabled },
      })
      return { enabled }
    },
  )

  fastify.post('/api/zendesk/visibility/fields', { schema: { response: { 200: LinkFieldsCreated } } }, async (request) => {
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
