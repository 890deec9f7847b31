import { resolveMappings } from '@psa-link/shared'
import { Home, type SetupStep } from '@psa-link/shared/admin-api'
import { scopeOf } from '../../admin/admin-principal'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

/**
 * The console's home: the account's health at a glance (failing connections, waiting problems and
 * Cluster IDs, the last cycle) and the setup checklist, each step with its state and where to do it.
 */
const homeRoutes: AdminRoutesPlugin = async (fastify) => {
  const { monitor, needsAction } = fastify
  const { tenants, connectionHealth: health } = fastify

  fastify.get('/api/home', { schema: { response: { 200: Home } } }, async (request) => {
    const admin = adminOf(request)
    const scope = scopeOf(admin)
    const [account, allConnections, failing, openProblems, clusterIdsWaiting, runs] = await Promise.all([
      tenants.getAccount(admin.accountId),
      tenants.listConnections(admin.accountId),
      health.failing(admin.accountId, admin.connectionId),
      monitor.openProblemCount(scope),
      admin.connectionId === null ? needsAction.groupCount(admin.accountId) : Promise.resolve(0),
      monitor.runs(scope, 200),
    ])
    const connections = allConnections.filter((connection) => admin.connectionId === null || connection.id === admin.connectionId)
    const lastCycle = runs.find((run) => run.kind === 'cycle' && run.status !== 'running') ?? null
    const ready = connections.filter((connection) => connection.status === 'ready' && !connection.paused)
    const badMappings = ready.filter((connection) => !connection.picklists || !resolveMappings(connection.settings, connection.picklists).ok)
    const synced = runs.some((run) => (run.kind === 'cycle' || run.kind === 'backfill') && run.status !== 'running' && run.status !== 'failed')

    const zendeskSteps: SetupStep[] = account
      ? [
          {
            key: 'zendesk',
            title: 'Connect Zendesk',
            done: Boolean(account.oauth.accessToken || account.apiToken),
            detail: account.oauth.accessToken
              ? 'Connected with OAuth.'
              : account.apiToken
                ? 'Connected with an API token.'
                : 'PSA Link cannot read tickets yet.',
            href: '#/zendesk',
          },
          {
            key: 'clusterField',
            title: 'Choose the Cluster ID field',
            done: account.clusterIdFieldId !== null,
            detail: account.clusterIdFieldId !== null ? `Ticket field ${account.clusterIdFieldId}.` : 'Tickets cannot be routed without it.',
            href: '#/zendesk',
          },
          {
            key: 'linkFields',
            title: 'Create the Autotask ticket fields in Zendesk',
            done: !account.showLinksInZendesk || account.linkFields !== null,
            detail: !account.showLinksInZendesk
              ? 'Turned off: Zendesk does not show the Autotask ticket number and status.'
              : account.linkFields
                ? `Linked tickets show their Autotask number and status (fields ${account.linkFields.numberFieldId} and ${account.linkFields.statusFieldId}) and the psa_link_linked tag.`
                : 'Zendesk views, triggers and reports cannot see which Autotask ticket a ticket is linked to.',
            href: '#/zendesk',
          },
          {
            key: 'appSecret',
            title: 'Set the sidebar app’s shared secret',
            done: account.appSharedSecret !== null,
            detail: account.appSharedSecret ? 'Set.' : 'Agents’ sidebars cannot reach PSA Link without it.',
            href: '#/zendesk',
          },
          {
            key: 'webhook',
            title: 'Register the Zendesk webhook',
            done: account.webhookId !== null,
            detail: account.webhookId ? 'Ticket changes sync within seconds.' : 'Without it, changes wait for the next cycle.',
            href: '#/zendesk',
          },
        ]
      : []
    const steps: SetupStep[] = [
      ...(admin.connectionId === null ? zendeskSteps : []),
      {
        key: 'autotask',
        title: 'Add an Autotask connection that works',
        done: ready.length > 0,
        detail:
          ready.length > 0
            ? `${ready.map((connection) => connection.name).join(', ')} ready.`
            : connections.length > 0
              ? 'No connection is ready: test its credentials.'
              : 'No connection yet.',
        href: '#/connections',
      },
      {
        key: 'mappings',
        title: 'Check the mappings',
        done: ready.length > 0 && badMappings.length === 0,
        detail:
          badMappings.length > 0
            ? `${badMappings.map((connection) => connection.name).join(', ')}: mappings do not match Autotask’s picklists.`
            : ready.length > 0
              ? 'Every ready connection’s mappings match its picklists.'
              : 'Needs a ready connection first.',
        href: badMappings[0] ? `#/connections/${badMappings[0].id}` : '#/connections',
      },
      {
        key: 'firstSync',
        title: 'First sync done',
        done: synced,
        detail: synced ? 'PSA Link has synced.' : 'No cycle or backfill has finished yet.',
        href: '#/monitor',
      },
    ]
    return {
      health: {
        failingConnections: failing.map((connection) => ({
          id: connection.id,
          name: connection.name,
          failingSince: connection.failingSince.toISOString(),
          lastError: connection.lastError,
        })),
        openProblems,
        clusterIdsWaiting,
        lastCycle: lastCycle ? { status: lastCycle.status, finishedAt: lastCycle.finishedAt, error: lastCycle.error } : null,
        connections: connections.map((connection) => ({ id: connection.id, name: connection.name, status: connection.status, paused: connection.paused })),
      },
      steps,
    }
  })
}

export default homeRoutes
