import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { resolveMappings } from '@psa-link/shared'
import type { FastifyBaseLogger } from 'fastify'
import { createAutotaskSoapClient } from '../../adapters/autotask/soap/soap-client'
import type { AutotaskRequestGate } from '../../adapters/autotask/core/autotask-request-gate'
import { createAutotaskSoapGateway } from '../../adapters/autotask/soap/soap-gateway'
import { createAutotaskRestClient, restBaseUrl } from '../../adapters/autotask/rest/rest-client'
import { createAutotaskRestGateway } from '../../adapters/autotask/rest/rest-gateway'
import { createZendeskClient } from '../../adapters/zendesk/zendesk-client'
import type { ZendeskAuth } from '../../adapters/zendesk/zendesk-auth'
import { createZendeskSyncGateway } from '../../adapters/zendesk/zendesk-sync-gateway'
import { createPostgresRequestGate } from '../../db/repositories/autotask-request-budget'
import { createAdminAuditRepository } from '../../db/repositories/admin-audit-repository'
import { createAccountContextVersions } from '../../db/repositories/account-context-versions'
import type { Signals } from '../../jobs/signals'
import type { ZoneMove } from '../../adapters/autotask/core/zone-move'
import type { AutotaskConnection, TenantsRepository, ZendeskAccount } from '../../db/repositories/tenants-repository'
import { describeRemoteFailure } from '../../errors/reach-failure'
import type { AutotaskGateway } from '../../sync/ports/autotask-gateway'
import type { SyncStore } from '../../sync/ports/sync-store'
import { emptyCounts, type ConnectionContext, type SyncContext } from '../../sync/sync-context'
import { zendeskAuthOf } from '../zendesk-account-auth'

/** Autotask's limit per database and rolling hour; PSA Link spends its share of it. */
export const AUTOTASK_HOURLY_LIMIT = 10_000
const PICKLIST_MAX_AGE_MS = 60 * 60 * 1000
/** A cached account context is rebuilt at least this often, whatever the signals said. */
const CONTEXT_MAX_AGE_MS = 5 * 60 * 1000

/** What a job's context shares with the account's other jobs: everything but its own counts and lease owner. */
interface CachedAccount {
  account: ZendeskAccount
  zendesk: SyncContext['zendesk']
  connections: ConnectionContext[]
  version: number
  builtAt: number
}

export interface SyncContextFactoryOptions {
  pool: Pool
  tenants: TenantsRepository
  store: SyncStore
  budgetShare: number
  /** How long a claim on a ticket or cycle lasts without renewal (the heartbeat renews it). */
  leaseSeconds: number
  log: FastifyBaseLogger
  /** Drops a cached context when its account's settings change in any instance (see forAccount). */
  signals?: Signals
}

export interface RequestCounts {
  autotask: number
  zendesk: number
}

/**
 * Where a connection's client asks for the zone when its zone refuses it: Autotask's global address
 * (the clients' default) for Autotask's own hosts; any other host (the sandbox, a proxy) answers the
 * lookup itself, as every Autotask zone does.
 */
function zoneLookupUrlFor(connection: AutotaskConnection): string | undefined {
  if (!connection.zoneUrl) return undefined
  const zone = new URL(connection.zoneUrl)
  if (/(^|\.)autotask\.net$/i.test(zone.hostname)) return undefined
  return connection.transport === 'rest' ? `${restBaseUrl(connection.zoneUrl)}zoneInformation` : connection.zoneUrl
}

/**
 * Builds the engine's context for one Zendesk account from what the database holds: its Zendesk
 * client, each Autotask connection's client behind the shared PostgreSQL request gate, the live
 * picklists (cached for an hour) and whether each connection is ready.
 */
export function createSyncContextFactory(options: SyncContextFactoryOptions) {
  const autotaskGateways = new Map<string, AutotaskGateway>()
  // Gateways are shared between jobs (a client loads its WSDL once), so each job's request count
  // travels with its async context instead of living on the gateway.
  const requestCounts = new AsyncLocalStorage<RequestCounts>()
  const audit = createAdminAuditRepository(options.pool)
  const versions = createAccountContextVersions(options.pool)
  const cached = new Map<number, CachedAccount>()
  // Bumped by every invalidation, so a build that raced one is not cached.
  const generations = new Map<number, number>()
  const invalidate = (accountId: number | null) => {
    if (accountId === null) {
      cached.clear()
      for (const id of generations.keys()) generations.set(id, (generations.get(id) ?? 0) + 1)
      return
    }
    cached.delete(accountId)
    generations.set(accountId, (generations.get(accountId) ?? 0) + 1)
  }
  // Without a detail: the listener reconnected and may have missed some, so everything goes.
  options.signals?.on('context', (detail) => invalidate(detail === undefined ? null : Number(detail)))

  /**
   * Autotask moved the tenant to another zone and the client followed: the new zone is stored,
   * the admin monitor shows it in the connection's status and the audit log keeps a row.
   */
  async function recordZoneMove(connection: AutotaskConnection, move: ZoneMove): Promise<void> {
    const message = `Autotask moved this tenant to another zone on ${new Date().toISOString().slice(0, 10)}; PSA Link now uses ${move.to} (was ${move.from}).`
    options.log.warn({ connectionId: connection.id, from: move.from, to: move.to }, 'Autotask zone moved')
    try {
      await options.tenants.saveMovedZone(connection.id, move.to, message)
      await audit.record({
        accountId: connection.zendeskAccountId,
        adminUserId: null,
        action: 'autotask_zone_moved',
        details: { connectionId: connection.id, from: move.from, to: move.to },
      })
    } catch (error) {
      // The client already talks to the new zone; a failed record must not stop the sync (it looks the zone up again after a restart).
      options.log.error({ connectionId: connection.id, err: error }, 'could not record the Autotask zone move')
    }
  }

  /**
   * One gateway per connection for as long as its settings stay (migration 024's version, bumped
   * by an admin's change or a stored zone move): its client keeps the loaded WSDL and the zone,
   * and its caches (names, PSA Link's own resource and writes) carry from cycle to cycle.
   */
  function gatewayFor(connection: AutotaskConnection): AutotaskGateway {
    const key = `${connection.id}:${connection.settingsVersion}`
    const cached = autotaskGateways.get(key)
    if (cached) return cached
    const shared = createPostgresRequestGate(options.pool, {
      connectionId: connection.id,
      hourlyLimit: Math.floor(AUTOTASK_HOURLY_LIMIT * options.budgetShare),
      ...(options.signals ? { wake: options.signals } : {}),
    })
    const counting: AutotaskRequestGate = {
      usage: () => shared.usage(),
      run: (entity, work) => {
        const counts = requestCounts.getStore()
        if (counts) counts.autotask += 1
        return shared.run(entity, work)
      },
    }
    const clientOptions = {
      username: connection.apiUsername,
      secret: connection.secret,
      integrationCode: connection.integrationCode,
      ...(connection.zoneUrl ? { zoneUrl: connection.zoneUrl } : {}),
      ...(zoneLookupUrlFor(connection) ? { zoneLookupUrl: zoneLookupUrlFor(connection) } : {}),
      gate: counting,
      onZoneMoved: (move: ZoneMove) => recordZoneMove(connection, move),
    }
    const memory = {
      ownResourceId: connection.ownResourceId,
      onOwnResourceLearned: (resourceId: number) => options.tenants.saveOwnResourceId(connection.id, resourceId),
    }
    const gateway =
      connection.transport === 'rest'
        ? createAutotaskRestGateway({ client: createAutotaskRestClient(clientOptions), ...memory })
        : createAutotaskSoapGateway({ client: createAutotaskSoapClient(clientOptions), ...memory })
    for (const stale of [...autotaskGateways.keys()].filter((other) => other.startsWith(`${connection.id}:`))) autotaskGateways.delete(stale)
    autotaskGateways.set(key, gateway)
    return gateway
  }

  async function connectionContext(account: ZendeskAccount, connection: AutotaskConnection, autotaskFailures: Map<number, string>): Promise<ConnectionContext> {
    const gateway = gatewayFor(connection)
    const base = { id: connection.id, name: connection.name, paused: connection.paused, gateway }
    let picklists = connection.picklists
    if (!picklists || !connection.picklistsLoadedAt || Date.now() - connection.picklistsLoadedAt.getTime() > PICKLIST_MAX_AGE_MS) {
      try {
        picklists = await gateway.getPicklists()
        await options.tenants.savePicklists(connection.id, picklists)
        if (connection.status !== 'ready') await options.tenants.setConnectionStatus(connection.id, 'ready', null)
      } catch (error) {
        const message = describeRemoteFailure('Autotask', error).message
        autotaskFailures.set(connection.id, message)
        await options.tenants.setConnectionStatus(connection.id, 'failing', message)
        return { ...base, ready: false, notReadyReason: message, mappings: null, picklists }
      }
    }
    if (account.clusterIdFieldId === null) {
      return { ...base, ready: false, notReadyReason: 'the Zendesk Cluster ID field is not chosen', mappings: null, picklists }
    }
    const resolved = resolveMappings(connection.settings, picklists)
    if (!resolved.ok) {
      const reason = `mappings are not valid: ${resolved.problems.map((problem) => `${problem.setting}: ${problem.message}`).join('; ')}`
      return { ...base, ready: false, notReadyReason: reason, mappings: null, picklists }
    }
    return { ...base, ready: true, notReadyReason: null, mappings: resolved.mappings, picklists }
  }

  return {
    /** Runs `work`, counting the remote requests it makes. */
    async measure<T>(work: () => Promise<T>): Promise<{ result: T; requests: RequestCounts }> {
      const requests: RequestCounts = { autotask: 0, zendesk: 0 }
      const result = await requestCounts.run(requests, work)
      return { result, requests }
    },

    async forAccount(accountId: number): Promise<SyncContext> {
      const shared = await sharedPart(accountId)
      const log = options.log.child({ account: shared.account.subdomain })
      return {
        account: { id: shared.account.id, subdomain: shared.account.subdomain, showLinksInZendesk: shared.account.showLinksInZendesk },
        // Each job gets its own copies: the engine may note things on a connection for its run.
        connections: shared.connections.map((connection) => ({ ...connection })),
        zendesk: shared.zendesk,
        store: options.store,
        now: () => new Date(),
        owner: randomUUID(),
        leaseSeconds: options.leaseSeconds,
        log: {
          info: (details, message) => log.info(details, message),
          warn: (details, message) => log.warn(details, message),
          error: (details, message) => log.error(details, message),
        },
        counts: emptyCounts(),
        progress: { ticketsSeen: 0 },
        autotaskFailures: new Map(shared.failures),
      }
    },

    /** Forgets every cached context (tests; a process that cannot trust its signals). */
    invalidate,
  }

  /**
   * The account's Zendesk client and connections, cached between jobs: a per-ticket job would
   * otherwise read the account and its connections and ask Zendesk for user names every time.
   * Every job reads the account's version (one small indexed read; migration 025's triggers bump
   * it in the transaction of every change that matters). Signals alone are not enough: a NOTIFY
   * arrives a moment after its commit, and a job starting in that moment would sync a connection
   * an admin has just paused. Signals still drop the cache early (see `generations`).
   */
  function zendeskAuthOrThrow(account: ZendeskAccount): ZendeskAuth {
    const auth = zendeskAuthOf(account, options.tenants)
    if (!auth) throw new Error(`Zendesk account ${account.subdomain} has no credentials`)
    return auth
  }

  async function sharedPart(accountId: number): Promise<CachedAccount & { failures: Map<number, string> }> {
    const entry = cached.get(accountId)
    const generation = generations.get(accountId) ?? 0
    const version = await versions.version(accountId)
    if (entry && entry.version === version && Date.now() - entry.builtAt < CONTEXT_MAX_AGE_MS) return { ...entry, failures: new Map() }

    const account = await options.tenants.getAccount(accountId)
    if (!account) throw new Error(`Zendesk account ${accountId} does not exist`)
    const client = createZendeskClient({
      baseUrl: account.baseUrl,
      auth: zendeskAuthOrThrow(account),
      onRequest: () => {
        const counts = requestCounts.getStore()
        if (counts) counts.zendesk += 1
      },
    })
    const zendesk = createZendeskSyncGateway({
      client,
      clusterIdFieldId: account.clusterIdFieldId,
      integrationUserId: account.integrationUserId,
      linkFields: account.linkFields,
    })
    const failures = new Map<number, string>()
    const connections = await Promise.all(
      (await options.tenants.listConnections(account.id)).map((connection) => connectionContext(account, connection, failures)),
    )
    const built: CachedAccount = { account, zendesk, connections, version, builtAt: Date.now() }
    // A connection Autotask did not answer is asked again by the next job; a change signalled while
    // building may not be in what was read.
    if (failures.size === 0 && (generations.get(accountId) ?? 0) === generation) cached.set(accountId, built)
    return { ...built, failures }
  }
}

export type SyncContextFactory = ReturnType<typeof createSyncContextFactory>
