import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LogLevel } from 'fastify'
import fp from 'fastify-plugin'
import { createWebhookRepository } from '../../src/db/repositories/webhook-repository'
import type { SandboxHandle } from '../../src/plugins/sandbox-mount'
import agentPreview from './agent'
import autotaskSandbox, { createAutotaskEmulator, type AutotaskEmulator } from './autotask'
import { previewTicketFrom } from './preview-tickets'
import { describeSandboxAdmin, ensureSandboxAdmin } from './sandbox-admin'
import sandboxPage from './sandbox-page'
import { ensureSandboxTenant, SANDBOX_APP_SHARED_SECRET, SANDBOX_SUBDOMAIN } from './sandbox-tenant'
import zendeskSandbox, { createZendeskEmulator, SANDBOX_CREDENTIALS, type ZendeskEmulator } from './zendesk'

/** The backend's handle on the sandbox, with the emulators themselves (tests drive them). */
export interface Sandbox extends SandboxHandle {
  zendesk: ZendeskEmulator
  /** The further Zendesk accounts it plays (see `zendeskAccounts`). */
  zendeskAccounts: ZendeskEmulator[]
  autotask: AutotaskEmulator
}

export interface SandboxPluginOptions {
  zendesk?: ZendeskEmulator
  /**
   * Further Zendesk accounts the sandbox plays, each under /sandbox/zendesk-<subdomain>, for
   * trying the Marketplace onboarding (sign in with Zendesk) with accounts PSA Link has never seen.
   * Default: `acme` and `globex`.
   */
  zendeskAccounts?: ZendeskEmulator[]
  autotask?: AutotaskEmulator
  /** The staged sidebar app shown by the agent-workspace preview. */
  appDir?: string
  /**
   * Log level of the emulators' and the preview's routes: their request logs would bury what a
   * newcomer needs to read (a sidebar polls, every sync makes requests), so they show at debug.
   */
  logLevel?: LogLevel
}

const DEFAULT_ONBOARDING_ACCOUNTS = [
  { subdomain: 'acme', accountId: 1_000_002 },
  { subdomain: 'globex', accountId: 1_000_003 },
]

const DEFAULT_APP_DIR = fileURLToPath(new URL('../../../dist/zendesk-app', import.meta.url))

/**
 * The sandbox: the Zendesk and Autotask emulators under /sandbox, and the agent-workspace preview
 * at /sandbox/agent, so PSA Link runs end to end on a machine with no real accounts.
 */
export default fp<SandboxPluginOptions>(
  async (app, options) => {
    const zendesk = options.zendesk ?? createZendeskEmulator()
    const autotask = options.autotask ?? createAutotaskEmulator()
    let origin: string | null = null

    const logLevel = options.logLevel ?? 'warn'
    await app.register(zendeskSandbox, { prefix: '/sandbox/zendesk', emulator: zendesk, logLevel })
    const accounts = options.zendeskAccounts ?? DEFAULT_ONBOARDING_ACCOUNTS.map((account) => createZendeskEmulator(account))
    for (const account of accounts) {
      if (account.subdomain === zendesk.subdomain || !/^[a-z0-9][a-z0-9-]*$/.test(account.subdomain))
        throw new Error(`the sandbox cannot play a second Zendesk account "${account.subdomain}"`)
      await app.register(zendeskSandbox, { prefix: `/sandbox/zendesk-${account.subdomain}`, emulator: account, logLevel })
    }
    await app.register(autotaskSandbox, { prefix: '/sandbox/autotask', emulator: autotask, logLevel })
    await app.register(agentPreview, {
      logLevel,
      appDir: path.resolve(options.appDir ?? DEFAULT_APP_DIR),
      getInstallation: async () => ({
        subdomain: zendesk.subdomain,
        sharedSecret: (await app.tenants.findAccountBySubdomain(SANDBOX_SUBDOMAIN))?.appSharedSecret ?? SANDBOX_APP_SHARED_SECRET,
        backendUrl: origin ?? '',
        clusterIdFieldId: zendesk.clusterIdFieldId,
      }),
      getTicket: async (id) => previewTicketFrom(zendesk, id),
      submitTicket: async (id, changes) => {
        zendesk.updateTicket(id, { clusterId: changes.clusterId })
      },
      // The reply box writes as the signed-in agent, a person: Zendesk's webhook tells PSA Link at
      // once (its own integration user's comments are ignored and wait for the cycle).
      postComment: async (id, comment) => {
        const agent = zendesk.agents()[0]!
        zendesk.addComment(id, { body: comment.body, public: comment.public, authorId: agent.id })
      },
      // The emulator's own users, so the backend can ask Zendesk for the signed-in user's role.
      agent: zendesk.agents()[0]!,
      admin: zendesk.state().integrationUser,
    })

    await app.register(sandboxPage, { logLevel, zendesk })

    const sandbox: Sandbox = {
      zendesk,
      zendeskAccounts: accounts,
      autotask,
      origin: () => origin,
      zendeskOAuthClient: { clientId: SANDBOX_CREDENTIALS.oauthClientId, clientSecret: SANDBOX_CREDENTIALS.oauthClientSecret },
      zendeskBaseUrl(subdomain: string) {
        if (origin === null) return null
        if (subdomain === zendesk.subdomain) return `${origin}/sandbox/zendesk`
        return accounts.some((account) => account.subdomain === subdomain) ? `${origin}/sandbox/zendesk-${subdomain}` : null
      },
      async describe(at: string) {
        return [
          'sandbox: no real Zendesk or Autotask is configured, so emulators are mounted and synced every cycle',
          `  agent preview (the sidebar app on a Zendesk-like ticket): ${at}/sandbox/agent?ticket=1`,
          `  sandbox page (tickets, "seed 200 historical tickets" for a backfill): ${at}/sandbox`,
          `  Zendesk emulator: ${at}/sandbox/zendesk (subdomain ${SANDBOX_SUBDOMAIN}; Bearer ${SANDBOX_CREDENTIALS.accessToken})`,
          ...(accounts.length > 0
            ? [`  Zendesk accounts to onboard with "Sign in with Zendesk": ${accounts.map((account) => account.subdomain).join(', ')}`]
            : []),
          `  Autotask emulator: ${at}/sandbox/autotask/ATServices/1.6/atws.asmx (api@demo.test / sandbox-secret / SANDBOX0INTEGRATION0CODE0001)`,
          `  sidebar app shared secret: ${SANDBOX_APP_SHARED_SECRET}`,
          `  admin utility login: ${await describeSandboxAdmin(app.db.pool)}`,
        ]
      },
      async connect(at: string) {
        origin = at
        const accountId = await ensureSandboxTenant(app.tenants, zendesk, at, createWebhookRepository(app.db.pool, app.secrets))
        await ensureSandboxAdmin(app.db.pool, accountId)
        return accountId
      },
    }
    app.decorate('sandbox', sandbox)
  },
  { name: 'sandbox', dependencies: ['database', 'secrets', 'tenants'] },
)
