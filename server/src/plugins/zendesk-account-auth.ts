import type { ZendeskAuth } from '../adapters/zendesk/zendesk-auth'
import type { TenantsRepository, ZendeskAccount } from '../db/repositories/tenants-repository'

/**
 * The credentials a Zendesk client of `account` sends: its OAuth tokens (saved again whenever the
 * client refreshes them), else its API token; null when the account has neither yet.
 */
export function zendeskAuthOf(account: ZendeskAccount, tenants: Pick<TenantsRepository, 'saveOAuthTokens'>): ZendeskAuth | null {
  if (account.oauth.accessToken) {
    return {
      type: 'oauth',
      accessToken: account.oauth.accessToken,
      ...(account.oauth.refreshToken ? { refreshToken: account.oauth.refreshToken } : {}),
      ...(account.oauth.expiresAt ? { expiresAt: account.oauth.expiresAt } : {}),
      ...(account.oauth.clientId ? { clientId: account.oauth.clientId } : {}),
      ...(account.oauth.clientSecret ? { clientSecret: account.oauth.clientSecret } : {}),
      onTokensRefreshed: async (tokens) => {
        await tenants.saveOAuthTokens(account.id, {
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken ?? null,
          expiresAt: tokens.expiresAt ?? null,
        })
      },
    }
  }
  if (account.apiEmail && account.apiToken) return { type: 'basic', email: account.apiEmail, apiToken: account.apiToken }
  return null
}
