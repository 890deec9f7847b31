import type { FastifyBaseLogger } from 'fastify'
import type { ConnectionHealthRepository } from '../db/repositories/connection-health-repository'
import type { SyncContext } from '../sync/sync-context'
import type { Alerter } from './alerts'

export interface CycleHealth {
  /** `degraded` when some connection's Autotask could not be read: the cycle did not do its job. */
  status: 'succeeded' | 'degraded'
  /** Autotask's own words, per connection, for the run's record. */
  error: string | null
}

/**
 * After a cycle: each connection it meant to read either failed (counted towards "failing") or was
 * read (clearing it). Paused connections were not asked, so they say nothing about Autotask. A
 * connection that starts or stops failing, and problems piling up, are sent to the account's alert
 * targets.
 */
export async function recordConnectionHealth(
  health: ConnectionHealthRepository,
  context: SyncContext,
  log: FastifyBaseLogger,
  alerter?: Alerter,
): Promise<CycleHealth> {
  const failures: string[] = []
  const alerts: Parameters<Alerter['notify']>[1][] = []
  const account = context.account.subdomain
  for (const connection of context.connections) {
    if (connection.paused) continue
    const failure = context.autotaskFailures.get(connection.id)
    if (failure !== undefined) {
      failures.push(`${connection.name}: ${failure}`)
      const { startedFailing } = await health.recordFailure(connection.id, failure)
      if (startedFailing) {
        log.error({ connection: connection.name, account }, `Autotask connection "${connection.name}" is failing: ${failure}`)
        alerts.push({
          topic: `connection_failing:${connection.id}`,
          subject: `PSA Link (${account}): Autotask connection "${connection.name}" is failing`,
          text: `Nothing syncs with "${connection.name}": its Autotask could not be read in the last cycles. Last attempt: ${failure}\nPSA Link keeps trying every cycle and catches up once Autotask answers.`,
        })
      }
    } else if (connection.ready) {
      const { recovered } = await health.recordSuccess(connection.id)
      if (recovered) {
        log.info({ connection: connection.name, account }, `Autotask connection "${connection.name}" works again`)
        alerts.push({
          topic: `connection_recovered:${connection.id}`,
          subject: `PSA Link (${account}): Autotask connection "${connection.name}" works again`,
          text: `"${connection.name}" answered again; PSA Link is catching up on what waited.`,
        })
      }
    }
  }
  if (alerter) {
    // Alerts never fail the cycle: a delivery that fails is logged and shown on its target.
    try {
      for (const alert of alerts) await alerter.notify(context.account.id, alert)
      await alerter.checkProblems(context.account.id, account)
    } catch (error) {
      log.error({ err: error, account }, 'could not send alerts')
    }
  }
  return failures.length > 0 ? { status: 'degraded', error: failures.join('\n') } : { status: 'succeeded', error: null }
}
