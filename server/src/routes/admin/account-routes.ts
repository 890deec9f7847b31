import { Account, AgentsReadOnlyReply, LinksCsv, PasswordSignInReply, RemoveAccountBody, RemoveAccountReply, SwitchBody } from '@psa-link/shared/admin-api'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { createZendeskSignInRepository } from '../../db/repositories/zendesk-sign-in-repository'
import { IntegrationError } from '../../errors/integration-error'
import { accountAdminOnly } from './account-admin-only'
import { adminOf, SESSION_COOKIE, type SessionCookiePolicy } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

export interface AccountRoutesOptions {
  cookies: SessionCookiePolicy
}

/** What leaving did in Zendesk: each step done, or Zendesk's words why not. */
type ZendeskCleanup = Record<'webhook' | 'fields' | 'token', { done: boolean; message?: string }>

const messageOf = (failure: unknown): string => {
  if (failure instanceof IntegrationError) return failure.remoteMessage ?? failure.message
  throw failure
}

/**
 * The account itself (issue 21): whether its admins may sign in with a password, its links as CSV,
 * and leaving PSA Link (Zendesk cleaned up, then every row of the account deleted).
 */
const accountRoutes: AdminRoutesPlugin<AccountRoutesOptions> = async (fastify) => {
  const { audit, zendeskClient } = fastify
  const { tenants } = fastify
  const accounts = createZendeskSignInRepository(fastify.db.pool)

  fastify.get('/api/account', { schema: { response: { 200: Account } } }, async (request) => {
    const admin = adminOf(request)
    const account = await tenants.getAccount(admin.accountId)
    if (!account) throw notFound('Your Zendesk account')
    return {
      subdomain: account.subdomain,
      passwordSignIn: await accounts.passwordSignInAllowed(account.id),
      agentsReadOnly: await accounts.agentsReadOnly(account.id),
      signsInWithZendesk: await accounts.signsInWithZendesk(admin.userId),
    }
  })

  fastify.put(
    '/api/account/password-sign-in',
    { preValidation: accountAdminOnly, schema: { body: SwitchBody, response: { 200: PasswordSignInReply } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { allowed } = request.body
      // Switching passwords off from a password login would lock its admin out with it.
      if (!allowed && !(await accounts.signsInWithZendesk(admin.userId))) {
        throw new AdminError(
          409,
          'zendesk_sign_in_first',
          'Sign in with Zendesk once before switching password sign-in off, so that you can still sign in afterwards.',
        )
      }
      await accounts.setPasswordSignIn(admin.accountId, allowed)
      await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: allowed ? 'password_sign_in_on' : 'password_sign_in_off' })
      return { passwordSignIn: allowed }
    },
  )

  fastify.put(
    '/api/account/agents-read-only',
    { preValidation: accountAdminOnly, schema: { body: SwitchBody, response: { 200: AgentsReadOnlyReply } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { allowed } = request.body
      await accounts.setAgentsReadOnly(admin.accountId, allowed)
      await audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action: allowed ? 'agents_read_only_on' : 'agents_read_only_off' })
      return { agentsReadOnly: allowed }
    },
  )

  fastify.get('/api/account/links.csv', { schema: { response: { 200: LinksCsv } } }, async (request, reply) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const account = await tenants.getAccount(admin.accountId)
    if (!account) throw notFound('Your Zendesk account')
    const csv = await accounts.linksCsv(account.id)
    await audit.record({ accountId: account.id, adminUserId: admin.userId, action: 'links_exported' })
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="psa-link-${account.subdomain}-links.csv"`)
      .header('cache-control', 'no-store')
      .send(csv)
  })

  fastify.delete(
    '/api/account',
    { preValidation: accountAdminOnly, schema: { body: RemoveAccountBody, response: { 200: RemoveAccountReply } } },
    async (request, reply) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const account = await tenants.getAccount(admin.accountId)
      if (!account) throw notFound('Your Zendesk account')
      if (request.body.confirm.trim().toLowerCase() !== account.subdomain) throw invalidInput({ confirm: `Type “${account.subdomain}” to confirm.` })

      const cleanup: ZendeskCleanup = {
        webhook: { done: account.webhookId === null },
        fields: { done: true },
        token: { done: account.oauth.accessToken === null },
      }
      if (account.oauth.accessToken || account.apiToken) {
        const client = zendeskClient(account)
        if (account.webhookId) {
          try {
            await client.deleteWebhook(account.webhookId)
            cleanup.webhook = { done: true }
          } catch (failure) {
            cleanup.webhook = { done: false, message: messageOf(failure) }
          }
        }
        for (const fieldId of await accounts.fieldsCreatedByPsaLink(account.id)) {
          try {
            await client.deleteTicketField(fieldId)
          } catch (failure) {
            cleanup.fields = { done: false, message: messageOf(failure) }
          }
        }
        // Last: the other removals need the token.
        if (account.oauth.accessToken) {
          try {
            await client.revokeCurrentToken()
            cleanup.token = { done: true }
          } catch (failure) {
            cleanup.token = { done: false, message: messageOf(failure) }
          }
        }
      }
      const removed = await accounts.removeAccount(account.id)
      // The account's audit log goes with its data (that is what leaving asks); the operator's log
      // keeps that it left, who removed it and what Zendesk did.
      request.log.info(
        { event: 'account_removed', accountId: account.id, subdomain: account.subdomain, by: admin.email, removed, zendesk: cleanup },
        'a Zendesk account removed itself from PSA Link',
      )
      reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
      return { removed: true, zendesk: cleanup }
    },
  )
}

export default accountRoutes
