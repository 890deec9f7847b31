import fp from 'fastify-plugin'
import type { TicketPicklists } from '@psa-link/shared'
import { createAutotaskSoapClient, createInMemoryRequestGate, type AutotaskRequestGate } from '../adapters/autotask'
import { createAutotaskSyncGateway } from '../adapters/autotask/autotask-sync-gateway'
import { createAutotaskRestClient, createAutotaskRestGateway, detectAutotaskTransport, transportOfZoneUrl } from '../adapters/autotask-rest'
import { createZendeskClient, exchangeAuthorizationCode, type ZendeskClient } from '../adapters/zendesk'
import { createAdminAuditRepository, type AdminAuditRepository } from '../db/repositories/admin-audit-repository'
import { createAdminConnectionsRepository, type AdminConnectionsRepository } from '../db/repositories/admin-connections-repository'
import { createAdminMonitorRepository, type AdminMonitorRepository } from '../db/repositories/admin-monitor-repository'
import { createAdminNeedsActionRepository, type AdminNeedsActionRepository } from '../db/repositories/admin-needs-action-repository'
import { createAdminSessionsRepository, type AdminSessionsRepository } from '../db/repositories/admin-sessions-repository'
import { createAdminUsersRepository, type AdminUsersRepository } from '../db/repositories/admin-users-repository'
import { createAdminZendeskRepository, type AdminZendeskRepository } from '../db/repositories/admin-zendesk-repository'
import { createPostgresRequestGate } from '../db/repositories/autotask-request-budget'
import { createBackfillDryRunRepository, type BackfillDryRunRepository } from '../db/repositories/backfill-dry-run-repository'
import { createBackfillRepository, type BackfillRepository } from '../db/repositories/backfill-repository'
import type { ZendeskAccount } from '../db/repositories/tenants-repository'
import { checkAutotaskZone, type ZoneCheck } from '../admin/autotask-zone-policy'
import { IntegrationError } from '../errors/integration-error'
import { describeRemoteFailure } from '../errors/reach-failure'
import { registerBackfillDryRuns } from '../jobs/backfill-dry-runs'
import { runBackfill } from '../sync/run-backfill'
import { AUTOTASK_HOURLY_LIMIT } from './sync-engine/context-factory'
import { RUN_PROGRESS_INTERVAL_MS } from '../db/repositories/run-liveness'
import { zendeskAuthOf } from './zendesk-account-auth'

export const BACKFILL_QUEUE = 'backfill'

export interface AutotaskCredentials {
  transport: 'soap' | 'rest'
  zoneUrl: string | null
  apiUsername: string
  secret: string
  integrationCode: string
}

/** What the admin chose: a transport, or `auto` (the zone address's kind, else REST first, then SOAP). */
export type AutotaskTransportChoice = AutotaskCredentials['transport'] | 'auto'

/** On success, the transport and zone the credentials work with (what `auto` found), to be saved. */
export type CredentialTestResult =
  | { ok: true; picklists: TicketPicklists; transport: AutotaskCredentials['transport']; zoneUrl: string | null }
  /** `zone_refused`: the zone is not an Autotask address and was never contacted. */
  /** `unreachable`: Autotask was never reached (DNS, refused, timed out); the message says so. */
  | { ok: false; code: 'zone_refused' | 'refused' | 'unreachable'; message: string }

export interface OAuthClient {
  clientId: string
  clientSecret: string
}

export interface AdminServices {
  users: AdminUsersRepository
  sessions: AdminSessionsRepository
  audit: AdminAuditRepository
  monitor: AdminMonitorRepository
  needsAction: AdminNeedsActionRepository
  connections: AdminConnectionsRepository
  zendeskSettings: AdminZendeskRepository
  backfills: BackfillRepository
  /** PSA Link's share of Autotask's hourly limit, per connection. */
  autotaskHourlyLimit: number
  /**
   * Signs in to Autotask and loads the ticket picklists; a failure carries Autotask's own message.
   * A zone that is not Autotask's (see checkAutotaskZone) is refused without being contacted.
   */
  testAutotask(credentials: Omit<AutotaskCredentials, 'transport'> & { transport: AutotaskTransportChoice }, connectionId: number | null): Promise<CredentialTestResult>
  zendeskClient(account: ZendeskAccount): ZendeskClient
  /** The OAuth client for `account`: the global one, or the emulator's for the sandbox account. */
  oauthClient(account: ZendeskAccount): OAuthClient | null
  exchangeCode(account: ZendeskAccount, input: { code: string; redirectUri: string; codeVerifier: string }): Promise<{ accessToken: string; refreshToken: string | null; expiresAt: Date | null; client: OAuthClient }>
  enqueueBackfill(accountId: number, backfillId: number, startAfter?: Date): Promise<void>
  /** Backfill dry runs: run as jobs, polled by the console. */
  dryRuns: BackfillDryRunRepository
  /** Queues a dry run and returns its id at once. */
  startDryRun(input: { accountId: number; adminUserId: number | null; startAt: Date; includeSolved: boolean }): Promise<number>
  /** Checks a zone URL against Autotask's hosts, the sandbox's emulator and the configured extra prefixes. */
  checkZone(zoneUrl: string): ZoneCheck
}

declare module 'fastify' {
  interface FastifyInstance {
    adminServices: AdminServices
  }
}

export interface AdminServicesOptions {
  budgetShare: number
  intervalSeconds: number
  oauthClient: OAuthClient | null
  /** Zone URL prefixes accepted besides Autotask's own hosts and the sandbox's emulator (tests only). */
  extraAutotaskZonePrefixes?: readonly string[]
}

interface BackfillJob {
  accountId: number
  backfillId: number
}

/** What a refusal says: the remote's own words when it gave some, else ours. */
function remoteWordsOf(error: unknown): string {
  if (error instanceof IntegrationError) return error.remoteMessage ?? error.message
  return error instanceof Error ? error.message : String(error)
}

/**
 * Wiring for the admin console: its repositories, the Autotask credential test, Zendesk clients and
 * OAuth, and the backfill queue and worker (run-backfill over the engine's contexts).
 */
export default fp<AdminServicesOptions>(
  async (app, options) => {
    const pool = app.db.pool
    const { secrets, tenants, contexts } = app.engine
    const autotaskHourlyLimit = Math.floor(AUTOTASK_HOURLY_LIMIT * options.budgetShare)
    const backfills = createBackfillRepository(pool, { hourlyLimit: autotaskHourlyLimit })

    function checkZone(zoneUrl: string): ZoneCheck {
      // The emulator is known only once the sandbox is connected, so it is asked each time.
      const sandboxOrigin = app.sandbox?.origin()
      return checkAutotaskZone(zoneUrl, [...(options.extraAutotaskZonePrefixes ?? []), ...(sandboxOrigin ? [`${sandboxOrigin}/sandbox/autotask/`] : [])])
    }

    async function testAutotask(choice: Omit<AutotaskCredentials, 'transport'> & { transport: AutotaskTransportChoice }, connectionId: number | null): Promise<CredentialTestResult> {
      let { transport, zoneUrl } = choice
      if (zoneUrl) {
        const zone = checkZone(zoneUrl)
        if (!zone.ok) return { ok: false, code: 'zone_refused', message: zone.reason }
        // The address as checked (normalised) is the one used and saved: no other URL parser gets a say.
        zoneUrl = zone.zoneUrl
      }
      // A saved connection's test is charged to its shared budget; a new one has no budget row yet.
      const gate = connectionId === null ? createInMemoryRequestGate({ hourlyLimit: 100 }) : createPostgresRequestGate(pool, { connectionId, hourlyLimit: autotaskHourlyLimit })
      if (transport === 'auto') {
        const found = await chooseTransport({ ...choice, zoneUrl }, gate)
        if (!found.ok) return { ok: false, code: 'refused', message: found.message }
        ;({ transport, zoneUrl } = found)
        // Without a zone, Autotask's own lookup named it; checked all the same before it is saved.
        const zone = zoneUrl ? checkZone(zoneUrl) : null
        if (zone && !zone.ok) return { ok: false, code: 'zone_refused', message: zone.reason }
      }
      const clientOptions = {
        username: choice.apiUsername,
        secret: choice.secret,
        integrationCode: choice.integrationCode,
        ...(zoneUrl ? { zoneUrl } : {}),
        timeoutMs: 20_000,
        gate,
      }
      try {
        if (transport === 'rest') {
          // Loading the picklists signs in: a refusal carries Autotask's own message.
          return { ok: true, picklists: await createAutotaskRestGateway({ client: createAutotaskRestClient(clientOptions) }).getPicklists(), transport, zoneUrl }
        }
        const client = createAutotaskSoapClient(clientOptions)
        await client.testConnection()
        return { ok: true, picklists: await createAutotaskSyncGateway({ client }).getPicklists(), transport, zoneUrl }
      } catch (error) {
        const failure = describeRemoteFailure('Autotask', error)
        return failure.reached ? { ok: false, code: 'refused', message: remoteWordsOf(error) } : { ok: false, code: 'unreachable', message: failure.message }
      }
    }

    /** `auto`: the kind of zone address given, else whichever API answers (REST first; SOAP 1.6 may be switched off). */
    async function chooseTransport(
      choice: Omit<AutotaskCredentials, 'transport'>,
      gate: AutotaskRequestGate,
    ): Promise<{ ok: true; transport: AutotaskCredentials['transport']; zoneUrl: string | null } | { ok: false; message: string }> {
      if (choice.zoneUrl) {
        const transport = transportOfZoneUrl(choice.zoneUrl)
        return transport ? { ok: true, transport, zoneUrl: choice.zoneUrl } : { ok: false, message: 'the zone URL is neither a REST address (…/ATServicesRest/V1.0/) nor a SOAP one (…/atws.asmx); choose the transport or correct the URL.' }
      }
      const detected = await detectAutotaskTransport({ username: choice.apiUsername, secret: choice.secret, integrationCode: choice.integrationCode, timeoutMs: 20_000, gate })
      if (detected.ok) return { ok: true, transport: detected.transport, zoneUrl: detected.zoneUrl || null }
      return { ok: false, message: `REST: ${remoteWordsOf(detected.rest)} · SOAP: ${remoteWordsOf(detected.soap)}` }
    }

    function oauthClient(account: ZendeskAccount): OAuthClient | null {
      if (account.sandbox && app.sandbox) return app.sandbox.zendeskOAuthClient
      return options.oauthClient
    }

    function zendeskClient(account: ZendeskAccount): ZendeskClient {
      const auth = zendeskAuthOf(account, tenants)
      if (auth) return createZendeskClient({ baseUrl: account.baseUrl, auth })
      throw new IntegrationError({ system: 'zendesk', code: 'auth', retryable: false, remoteMessage: 'This Zendesk account is not connected yet: connect it with OAuth first.' })
    }

    const existing = new Set((await app.jobs.getQueues()).map((queue) => queue.name))
    if (!existing.has(BACKFILL_QUEUE)) {
      // Stately: at most one queued and one running backfill job per account.
      await app.jobs.createQueue(BACKFILL_QUEUE, { name: BACKFILL_QUEUE, policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 6 * 3600 })
    }

    async function enqueueBackfill(accountId: number, backfillId: number, startAfter?: Date): Promise<void> {
      const deferred = await backfills.takeDeferredJob(backfillId)
      if (deferred) await app.jobs.cancel(BACKFILL_QUEUE, deferred)
      const jobId = await app.jobs.send(BACKFILL_QUEUE, { accountId, backfillId } satisfies BackfillJob, {
        singletonKey: `account:${accountId}`,
        ...(startAfter ? { startAfter } : {}),
      })
      if (startAfter && jobId) await backfills.saveDeferredJob(backfillId, jobId)
    }

    await app.jobs.work<BackfillJob>(BACKFILL_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return
      const { accountId, backfillId } = job.data
      const context = await contexts.forAccount(accountId)
      const runId = await context.store.startRun({ accountId, connectionId: null, kind: 'backfill', trigger: `backfill:${backfillId}` })
      // Progress doubles as the run's sign of life (run-liveness.ts closes silent runs as interrupted).
      const alive = setInterval(() => void context.store.updateRunProgress(runId, { ...context.counts }).catch(() => undefined), RUN_PROGRESS_INTERVAL_MS)
      alive.unref()
      try {
        const { result, requests } = await contexts.measure(() =>
          runBackfill(context, backfills.store, backfillId, { intervalSeconds: options.intervalSeconds }),
        )
        await backfills.addRequests(backfillId, requests.autotask)
        await context.store.finishRun(runId, {
          status: result.state === 'failed' ? 'failed' : 'succeeded',
          counts: context.counts,
          apiUsage: { ...requests },
          error: result.state === 'failed' ? result.error : null,
        })
        // The backfill stays 'waiting_budget' (with its reason) until the job sent for later picks it up.
        if (result.state === 'waiting_budget') await enqueueBackfill(accountId, backfillId, result.resumeAt)
      } catch (error) {
        await context.store.finishRun(runId, { status: 'failed', counts: context.counts, apiUsage: {}, error: error instanceof Error ? error.message : String(error) })
        throw error
      } finally {
        clearInterval(alive)
      }
    })

    const dryRuns = createBackfillDryRunRepository(pool)
    const dryRunJobs = await registerBackfillDryRuns(app.jobs, { repository: dryRuns, contexts, log: app.log })

    app.decorate('adminServices', {
      users: createAdminUsersRepository(pool),
      sessions: createAdminSessionsRepository(pool),
      audit: createAdminAuditRepository(pool),
      monitor: createAdminMonitorRepository(pool),
      needsAction: createAdminNeedsActionRepository(pool),
      connections: createAdminConnectionsRepository(pool, secrets),
      zendeskSettings: createAdminZendeskRepository(pool, secrets),
      backfills,
      autotaskHourlyLimit,
      testAutotask,
      zendeskClient,
      oauthClient,
      async exchangeCode(account, input) {
        const client = oauthClient(account)
        if (!client) throw new IntegrationError({ system: 'zendesk', code: 'config', retryable: false, remoteMessage: 'No Zendesk OAuth client is configured (ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET).' })
        const tokens = await exchangeAuthorizationCode({ baseUrl: account.baseUrl, clientId: client.clientId, clientSecret: client.clientSecret, ...input })
        return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, client }
      },
      enqueueBackfill,
      dryRuns,
      startDryRun: (input) => dryRunJobs.start(input),
      checkZone,
    } satisfies AdminServices)
  },
  { name: 'admin-services', dependencies: ['sync-engine'] },
)
