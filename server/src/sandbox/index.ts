import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import { createWebhookRepository } from '../db/repositories/webhook-repository'
import agentPreview from './agent'
import autotaskSandbox, { createAutotaskEmulator, type AutotaskEmulator } from './autotask'
import { previewTicketFrom } from './preview-tickets'
import { ensureSandboxAdmin } from './sandbox-admin'
import { ensureSandboxTenant, SANDBOX_APP_SHARED_SECRET, SANDBOX_SUBDOMAIN } from './sandbox-tenant'
import zendeskSandbox, { createZendeskEmulator, type ZendeskEmulator } from './zendesk'

export interface Sandbox {
  zendesk: ZendeskEmulator
  autotask: AutotaskEmulator
  /** Records the sandbox tenant for the backend reachable at `origin`; returns its account id. */
  connect(origin: string): Promise<number>
  /** The origin given to `connect`, once connected. */
  origin(): string | null
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox?: Sandbox
  }
}

export interface SandboxPluginOptions {
  zendesk?: ZendeskEmulator
  autotask?: AutotaskEmulator
  /** The staged sidebar app shown by the agent-workspace preview. */
  appDir?: string
}

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

    await app.register(zendeskSandbox, { prefix: '/sandbox/zendesk', emulator: zendesk })
    await app.register(autotaskSandbox, { prefix: '/sandbox/autotask', emulator: autotask })
    await app.register(agentPreview, {
      appDir: path.resolve(options.appDir ?? DEFAULT_APP_DIR),
      getInstallation: async () => ({
        subdomain: zendesk.subdomain,
        sharedSecret: (await app.engine.tenants.findAccountBySubdomain(SANDBOX_SUBDOMAIN))?.appSharedSecret ?? SANDBOX_APP_SHARED_SECRET,
        backendUrl: origin ?? '',
        clusterIdFieldId: zendesk.clusterIdFieldId,
      }),
      getTicket: async (id) => previewTicketFrom(zendesk, id),
      submitTicket: async (id, changes) => {
        zendesk.updateTicket(id, { clusterId: changes.clusterId })
      },
      // The emulator's own users, so the backend can ask Zendesk for the signed-in user's role.
      agent: zendesk.agents()[0]!,
      admin: zendesk.state().integrationUser,
    })

    app.decorate('sandbox', {
      zendesk,
      autotask,
      origin: () => origin,
      async connect(at: string) {
        origin = at
        const accountId = await ensureSandboxTenant(app.engine.tenants, zendesk, at, createWebhookRepository(app.db.pool, app.engine.secrets))
        await ensureSandboxAdmin(app.db.pool, accountId)
        return accountId
      },
    } satisfies Sandbox)
  },
  { name: 'sandbox', dependencies: ['sync-engine'] },
)
