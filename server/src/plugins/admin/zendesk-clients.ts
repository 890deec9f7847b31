import fp from 'fastify-plugin'
import { createZendeskClient, exchangeAuthorizationCode, type ZendeskClient } from '../../adapters/zendesk'
import type { Config } from '../../config'
import type { ZendeskAccount } from '../../db/repositories/tenants-repository'
import { IntegrationError } from '../../errors/integration-error'
import { zendeskAuthOf } from '../zendesk-account-auth'

export interface OAuthClient {
  clientId: string
  clientSecret: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** A Zendesk client of `account` with its own credentials; refused while the account is not connected. */
    zendeskClient(account: ZendeskAccount): ZendeskClient
    /** The OAuth client for `account`: the global one, or the emulator's for the sandbox account. */
    oauthClient(account: ZendeskAccount): OAuthClient | null
    exchangeCode(
      account: ZendeskAccount,
      input: { code: string; redirectUri: string; codeVerifier: string },
    ): Promise<{ accessToken: string; refreshToken: string | null; expiresAt: Date | null; client: OAuthClient }>
  }
}

/** The OAuth client configured by ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET, if both are set. */
export function configuredOAuthClient(config: Pick<Config, 'ZENDESK_OAUTH_CLIENT_ID' | 'ZENDESK_OAUTH_CLIENT_SECRET'>): OAuthClient | null {
  return config.ZENDESK_OAUTH_CLIENT_ID && config.ZENDESK_OAUTH_CLIENT_SECRET
    ? { clientId: config.ZENDESK_OAUTH_CLIENT_ID, clientSecret: config.ZENDESK_OAUTH_CLIENT_SECRET }
    : null
}

export interface ZendeskClientsPluginOptions {
  /** The configured OAuth client (ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET), if any. */
  oauthClient: OAuthClient | null
}

/** The console's Zendesk clients and its OAuth code exchange. */
export default fp<ZendeskClientsPluginOptions>(
  async (app, options) => {
    function oauthClient(account: ZendeskAccount): OAuthClient | null {
      if (account.sandbox && app.sandbox) return app.sandbox.zendeskOAuthClient
      return options.oauthClient
    }

    app.decorate('oauthClient', oauthClient)
    app.decorate('zendeskClient', (account: ZendeskAccount): ZendeskClient => {
      const auth = zendeskAuthOf(account, app.tenants)
      if (auth) return createZendeskClient({ baseUrl: account.baseUrl, auth })
      throw new IntegrationError({
        system: 'zendesk',
        code: 'auth',
        retryable: false,
        remoteMessage: 'This Zendesk account is not connected yet: connect it with OAuth first.',
      })
    })
    app.decorate('exchangeCode', async (account: ZendeskAccount, input: { code: string; redirectUri: string; codeVerifier: string }) => {
      const client = oauthClient(account)
      if (!client)
        throw new IntegrationError({
          system: 'zendesk',
          code: 'config',
          retryable: false,
          remoteMessage: 'No Zendesk OAuth client is configured (ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET).',
        })
      const tokens = await exchangeAuthorizationCode({ baseUrl: account.baseUrl, clientId: client.clientId, clientSecret: client.clientSecret, ...input })
      return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, client }
    })
  },
  { name: 'zendesk-clients', dependencies: ['tenants'] },
)
