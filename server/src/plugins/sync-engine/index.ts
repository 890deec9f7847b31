import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { createSealedSecretsRepository } from '../../db/repositories/sealed-secrets-repository'
import { createTenantsRepository, type TenantsRepository } from '../../db/repositories/tenants-repository'
import { createSyncStore } from '../../db/sync-store'
import { startCycleScheduler } from '../../jobs/cycle-scheduler'
import { createSyncMetrics, type SyncMetrics } from '../../jobs/sync-metrics'
import { createSyncQueues } from '../../jobs/sync-queues'
import { createAlertsRepository } from '../../db/repositories/alerts-repository'
import { createAlerter, type Alerter } from '../../jobs/alerts'
import { createConnectionHealthRepository, type ConnectionHealthRepository } from '../../db/repositories/connection-health-repository'
import { pruneRunHistory } from '../../db/repositories/run-retention'
import { registerSyncWorkers } from '../../jobs/sync-workers'
import { requestTicketSync, waitForTicketSync, type TicketSyncJobState } from '../../jobs/ticket-sync-requests'
import { createSecretBox, type SecretBox } from '../../security/secret-box'
import { loadSecretKey } from '../../security/secret-key'
import type { SyncStore } from '../../sync/ports/sync-store'
import { AUTOTASK_HOURLY_LIMIT, createSyncContextFactory, type SyncContextFactory } from './context-factory'
import { registerWatchedNotesScan } from './watched-notes-wiring'

const RUN_PRUNE_INTERVAL_MS = 3600_000

export interface SyncEngine {
  tenants: TenantsRepository
  /** Which connections are failing, cycle after cycle (the console's banner, /health). */
  health: ConnectionHealthRepository
  store: SyncStore
  secrets: SecretBox
  contexts: SyncContextFactory
  metrics: SyncMetrics
  /** Alerts to the accounts' targets (email, webhooks). */
  alerter: Alerter
  /** Queues (or joins) a sync of one ticket; resolves with the job id. */
  requestTicketSync(accountId: number, ticketId: number, trigger: string): Promise<string>
  waitForTicketSync(jobId: string, timeoutMs: number): Promise<TicketSyncJobState | null>
  /** Asks for a cycle of every account now (joins one already waiting). */
  requestCycles(): Promise<void>
  /** True from the moment the sync workers are registered until the app starts closing (readiness). */
  workersRunning(): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    engine: SyncEngine
  }
}

export interface SyncEnginePluginOptions {
  config: Config
  /** Run the scheduled cycles in this process (off in tests that drive cycles themselves). */
  schedule?: boolean
}

/** The one wiring plugin: secrets, repositories, adapters, the engine's queues, workers and schedule. */
export default fp<SyncEnginePluginOptions>(
  async (app, { config, schedule = true }) => {
    const { key } = await loadSecretKey(config)
    const secrets = createSecretBox(key)
    // Before anything reads a secret: values from before they were bound to their cell are re-sealed.
    const resealed = await createSealedSecretsRepository(app.db.pool, secrets).resealLegacyValues()
    if (resealed > 0) app.log.info({ resealed }, 'secrets re-sealed, each bound to its row and column')
    const tenants = createTenantsRepository(app.db.pool, secrets)
    const store = createSyncStore(app.db.pool)
    const contexts = createSyncContextFactory({
      pool: app.db.pool,
      tenants,
      store,
      budgetShare: config.AUTOTASK_BUDGET_SHARE,
      leaseSeconds: config.SYNC_LEASE_SECONDS,
      log: app.log,
    })
    const metrics = createSyncMetrics()

    await createSyncQueues(app.jobs)
    const health = createConnectionHealthRepository(app.db.pool)
    const alerter = createAlerter({
      repository: createAlertsRepository(app.db.pool, secrets),
      environmentSmtp: config.SMTP_HOST && config.SMTP_FROM
        ? { host: config.SMTP_HOST, port: config.SMTP_PORT, secure: config.SMTP_SECURE, username: config.SMTP_USER ?? null, password: config.SMTP_PASSWORD ?? null, from: config.SMTP_FROM }
        : null,
      periodMinutes: config.ALERT_PERIOD_MINUTES,
      problemThreshold: config.ALERT_PROBLEM_THRESHOLD,
      allowLoopbackWebhooks: config.NODE_ENV === 'test',
      log: app.log,
    })
    await registerSyncWorkers(app.jobs, { factory: contexts, store, intervalSeconds: config.SYNC_INTERVAL_SECONDS, log: app.log, metrics, health, alerter })
    let workersRunning = true
    // preClose: an orchestrator stops sending work as soon as shutdown begins, before jobs drain.
    app.addHook('preClose', async () => {
      workersRunning = false
    })
    const scheduler = startCycleScheduler(app.jobs, {
      intervalSeconds: config.SYNC_INTERVAL_SECONDS,
      listAccountIds: () => tenants.listAccountIds(),
      onError: (error) => app.log.error({ err: error }, 'could not schedule sync cycles'),
      enabled: schedule,
    })
    app.addHook('onClose', async () => scheduler.stop())
    await registerWatchedNotesScan(app, {
      contexts,
      intervalSeconds: config.SIDEBAR_WATCH_SCAN_SECONDS,
      hourlyLimit: Math.floor(AUTOTASK_HOURLY_LIMIT * config.AUTOTASK_BUDGET_SHARE),
      enabled: schedule,
    })
    // Run history is pruned hourly; every instance may do it, deleting twice costs nothing.
    const pruneRuns = () =>
      void pruneRunHistory(app.db.pool, config.SYNC_RUN_RETENTION_DAYS)
        .then((removed) => (removed > 0 ? app.log.info({ removed }, 'old run history pruned') : undefined))
        .catch((error: unknown) => app.log.warn({ err: error }, 'could not prune run history'))
    const pruning = setInterval(pruneRuns, RUN_PRUNE_INTERVAL_MS)
    pruning.unref()
    app.addHook('onClose', async () => clearInterval(pruning))

    app.decorate('engine', {
      tenants,
      health,
      store,
      secrets,
      contexts,
      metrics,
      alerter,
      requestTicketSync: (accountId, ticketId, trigger) => requestTicketSync(app.jobs, { accountId, ticketId, trigger }),
      waitForTicketSync: (jobId, timeoutMs) => waitForTicketSync(app.jobs, jobId, timeoutMs),
      requestCycles: () => scheduler.requestNow(),
      workersRunning: () => workersRunning,
    } satisfies SyncEngine)
  },
  { name: 'sync-engine', dependencies: ['database', 'jobs'] },
)
