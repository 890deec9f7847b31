import { AccountSearchQuery, Done, FoundAccounts, NeedsAction, RouteBody, RouteParams, RouteSaved } from '@psa-link/shared/admin-api'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { describeRemoteFailure } from '../../errors/reach-failure'
import { normalizeClusterId } from '../../sync/sync-context'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'
import { zendeskTicketUrl } from './zendesk-ticket-url'

const ACCOUNT_SEARCH_LIMIT = 20

/** An id the schema let through as a number or as the text of a field: empty text means none. */
const idOrNull = (value: number | string | null | undefined): number | null => (typeof value === 'number' ? value : value?.trim() ? Number(value) : null)

/**
 * The "needs action" inbox: tickets waiting on a Cluster ID that matches nothing in Autotask or
 * several installed products, one row per Cluster ID, and "route this Cluster ID to…" (a route the
 * engine honours before asking Autotask). Routing queues a sync of every waiting ticket at once.
 * Unrouted tickets belong to no connection yet, so this is for admins of the whole account.
 */
const needsActionRoutes: AdminRoutesPlugin = async (fastify) => {
  const { needsAction, audit } = fastify

  fastify.get('/api/needs-action', { schema: { response: { 200: NeedsAction } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const [groups, routes, connections, url] = await Promise.all([
      needsAction.groups(admin.accountId),
      needsAction.overrides(admin.accountId),
      fastify.tenants.listConnections(admin.accountId),
      zendeskTicketUrl(fastify, admin.accountId),
    ])
    return {
      groups: groups.map((group) => ({
        ...group,
        title:
          group.kind === 'ambiguous'
            ? `Cluster ID ${group.clusterId} matches ${group.candidates.length || 'several'} installed products`
            : `Cluster ID ${group.clusterId} matches nothing in Autotask`,
        tickets: group.ticketIds.map((id) => ({ id, url: url(id) })),
      })),
      routes,
      connections: connections.map((connection) => ({ id: connection.id, name: connection.name })),
    }
  })

  // "Route to…" picks the Autotask account by name: a bounded search in one ready connection.
  fastify.get(
    '/api/needs-action/accounts',
    { preValidation: accountAdminOnly, schema: { querystring: AccountSearchQuery, response: { 200: FoundAccounts } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { connectionId } = request.query
      const text = request.query.q.trim()
      const context = await fastify.syncContexts.forAccount(admin.accountId)
      const connection = context.connections.find((candidate) => candidate.id === connectionId)
      if (!connection) throw invalidInput({ connectionId: 'Choose one of this account’s Autotask connections.' })
      if (!connection.ready) throw invalidInput({ connectionId: `${connection.name} is not ready: ${connection.notReadyReason ?? 'test it first'}.` })
      try {
        // One more than shown, to say that there are more than the list holds.
        const found = await connection.gateway.searchAccounts(text, ACCOUNT_SEARCH_LIMIT + 1)
        return { accounts: found.slice(0, ACCOUNT_SEARCH_LIMIT), more: found.length > ACCOUNT_SEARCH_LIMIT }
      } catch (error) {
        throw new AdminError(502, 'autotask_unreachable', describeRemoteFailure('Autotask', error).message)
      }
    },
  )

  fastify.post('/api/needs-action/routes', { preValidation: accountAdminOnly, schema: { body: RouteBody, response: { 200: RouteSaved } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const body = request.body
    const clusterId = normalizeClusterId(body.clusterId)
    if (!clusterId) throw invalidInput({ clusterId: 'Name the Cluster ID to route.' })
    const { connectionId } = body
    const installedProductId = idOrNull(body.installedProductId)
    let autotaskAccountId = idOrNull(body.autotaskAccountId)

    const context = await fastify.syncContexts.forAccount(admin.accountId)
    const connection = context.connections.find((candidate) => candidate.id === connectionId)
    if (!connection) throw invalidInput({ connectionId: 'Choose one of this account’s Autotask connections.' })
    if (!connection.ready) throw invalidInput({ connectionId: `${connection.name} is not ready: ${connection.notReadyReason ?? 'test it first'}.` })
    // One of the installed products the Cluster ID matched: its account is known.
    if (autotaskAccountId === null && installedProductId !== null) {
      const group = (await needsAction.groups(admin.accountId)).find((candidate) => candidate.clusterId === clusterId)
      autotaskAccountId =
        group?.candidates.find((candidate) => candidate.installedProductId === installedProductId && candidate.connectionName === connection.name)
          ?.autotaskAccountId ?? null
    }
    if (autotaskAccountId === null) throw invalidInput({ autotaskAccountId: 'Enter the Autotask account the tickets belong to.' })

    let accountName: string | undefined
    try {
      accountName = (await connection.gateway.accountNames([autotaskAccountId])).get(autotaskAccountId)
    } catch (error) {
      throw new AdminError(502, 'autotask_unreachable', describeRemoteFailure('Autotask', error).message)
    }
    if (accountName === undefined) throw invalidInput({ autotaskAccountId: `${connection.name} has no Autotask account ${autotaskAccountId}.` })

    await needsAction.saveOverride({
      accountId: admin.accountId,
      clusterId,
      connectionId: connection.id,
      installedProductId,
      autotaskAccountId,
      adminUserId: admin.userId,
    })
    const waiting = await needsAction.waitingTickets(admin.accountId, clusterId)
    for (const ticketId of waiting) await fastify.ticketSync.request(admin.accountId, ticketId, `admin-route:${ticketId}`)
    await audit.record({
      accountId: admin.accountId,
      adminUserId: admin.userId,
      action: 'cluster_id_routed',
      details: {
        clusterId,
        connectionId: connection.id,
        connectionName: connection.name,
        installedProductId,
        autotaskAccountId,
        accountName,
        ticketsQueued: waiting.length,
      },
    })
    return { ok: true, accountName, ticketsQueued: waiting.length }
  })

  fastify.delete(
    '/api/needs-action/routes/:clusterId',
    { preValidation: accountAdminOnly, schema: { params: RouteParams, response: { 200: Done } } },
    async (request) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const clusterId = normalizeClusterId(request.params.clusterId)
      const existing = await needsAction.override(admin.accountId, clusterId)
      if (!existing || !(await needsAction.deleteOverride(admin.accountId, clusterId))) throw notFound(`The route of Cluster ID ${clusterId}`)
      await audit.record({
        accountId: admin.accountId,
        adminUserId: admin.userId,
        action: 'cluster_id_route_removed',
        details: {
          clusterId,
          connectionId: existing.connectionId,
          connectionName: existing.connectionName,
          installedProductId: existing.installedProductId,
          autotaskAccountId: existing.autotaskAccountId,
        },
      })
      return { ok: true }
    },
  )
}

export default needsActionRoutes
