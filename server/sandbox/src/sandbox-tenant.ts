import { createZendeskClient, ensureLinkFields } from '../../src/adapters/zendesk'
import type { TenantsRepository } from '../../src/db/repositories/tenants-repository'
import type { WebhookRepository } from '../../src/db/repositories/webhook-repository'
import { sandboxCredentials } from './autotask'
import { createDefaultPicklists } from './autotask/emulated-picklists'
import type { ZendeskEmulator } from './zendesk'
import { SANDBOX_CREDENTIALS } from './zendesk'

export const SANDBOX_SUBDOMAIN = 'demo'
export const SANDBOX_CONNECTION_NAME = 'Sandbox Autotask'
/** The sidebar app's shared secret in the sandbox (paste it into the app's settings when trying it). */
export const SANDBOX_APP_SHARED_SECRET = 'sandbox-app-shared-secret'
/** The queue the sandbox connection files new Autotask tickets in: one of the emulator's demo queues. */
export const SANDBOX_QUEUE_LABEL = 'Level I Support'

/** The emulator's id of the sandbox queue, read from the picklists it serves, so the two cannot drift. */
function sandboxQueueId(): number {
  const queue = createDefaultPicklists().Ticket?.QueueID?.find((value) => value.label === SANDBOX_QUEUE_LABEL)
  if (!queue) throw new Error(`The Autotask emulator has no queue "${SANDBOX_QUEUE_LABEL}".`)
  return queue.value
}

/**
 * Makes sure the database knows the sandbox tenant: the `demo` Zendesk account (OAuth token of the
 * emulator, its Cluster ID field, the app's shared secret) and one Autotask connection to the
 * emulator, whose tickets go to a demo queue (an Autotask ticket without one shows "Queue: None" in
 * the sidebar). URLs follow `origin`, so a restart on another port still finds the emulators.
 * The export starts at the beginning, so the demo tickets sync on the first cycle.
 */
export async function ensureSandboxTenant(
  tenants: TenantsRepository,
  emulator: ZendeskEmulator,
  origin: string,
  webhooks?: Pick<WebhookRepository, 'findWebhookAccount' | 'saveWebhook'>,
): Promise<number> {
  const zendeskUrl = `${origin}/sandbox/zendesk`
  const zoneUrl = `${origin}/sandbox/autotask/ATServices/1.6/atws.asmx`
  const existing = await tenants.findAccountBySubdomain(SANDBOX_SUBDOMAIN)
  if (existing && !existing.sandbox) {
    throw new Error(`A real Zendesk account "${SANDBOX_SUBDOMAIN}" is set up here, so the sandbox cannot use that name: set SANDBOX=off.`)
  }
  const accountId =
    existing?.id ??
    (await tenants.createAccount({
      subdomain: SANDBOX_SUBDOMAIN,
      baseUrl: zendeskUrl,
      oauthAccessToken: SANDBOX_CREDENTIALS.accessToken,
      clusterIdFieldId: emulator.clusterIdFieldId,
      integrationUserId: emulator.integrationUserId,
      appSharedSecret: SANDBOX_APP_SHARED_SECRET,
      exportStartTime: 0,
      sandbox: true,
    }))
  await tenants.setSandboxUrls(accountId, zendeskUrl, zoneUrl)
  const connections = await tenants.listConnections(accountId)
  if (!connections.some((connection) => connection.name === SANDBOX_CONNECTION_NAME)) {
    await tenants.createConnection({
      zendeskAccountId: accountId,
      name: SANDBOX_CONNECTION_NAME,
      transport: 'rest',
      zoneUrl,
      apiUsername: sandboxCredentials.userName,
      secret: sandboxCredentials.secret,
      integrationCode: sandboxCredentials.integrationCode,
      settings: { queueId: sandboxQueueId() },
    })
  }
  // Zendesk-side visibility is on by default: the demo account has its two fields from the start.
  const client = createZendeskClient({ baseUrl: zendeskUrl, auth: { type: 'oauth', accessToken: SANDBOX_CREDENTIALS.accessToken } })
  await tenants.saveLinkFields(accountId, await ensureLinkFields(client))
  if (webhooks) await ensureSandboxWebhook(webhooks, emulator, accountId, zendeskUrl, origin)
  return accountId
}

/**
 * Subscribes the backend at `origin` to the emulator's ticket events, the way an installation
 * would be set up against real Zendesk: create the webhook, read its signing secret, store both.
 * The emulator lives in memory, so after a restart the stored webhook is gone and a new one is made.
 */
async function ensureSandboxWebhook(
  webhooks: Pick<WebhookRepository, 'findWebhookAccount' | 'saveWebhook'>,
  emulator: ZendeskEmulator,
  accountId: number,
  zendeskUrl: string,
  origin: string,
): Promise<void> {
  const endpoint = `${origin}/webhooks/zendesk/${accountId}`
  const stored = await webhooks.findWebhookAccount(accountId)
  const registered = stored?.webhookId ? emulator.state().webhooks.webhooks.get(stored.webhookId) : undefined
  if (registered && registered.status === 'active' && registered.endpoint === endpoint && stored?.signingSecret) return
  // A webhook left pointing at the previous origin would deliver to a port nobody listens on.
  if (registered) registered.status = 'inactive'
  const client = createZendeskClient({ baseUrl: zendeskUrl, auth: { type: 'oauth', accessToken: SANDBOX_CREDENTIALS.accessToken } })
  const webhook = await client.createWebhook({ name: 'PSA Link (sandbox)', endpoint })
  const secret = await client.getWebhookSigningSecret(webhook.id)
  await webhooks.saveWebhook(accountId, webhook.id, secret)
}
