import type { FastifyBaseLogger } from 'fastify'
import type { ConnectionHealthRepository } from '../db/repositories/connection-health-repository'
import type { SyncContext } from '../sync/sync-context'

export interface CycleHealth {
  /** `degraded` when some connection's Autotask could not be read: the cycle did not do its job. */
  status: 'succeeded' | 'degraded'
  /** Autotask's own words, per connection, for the run's record. */
  error: string | null
}

/**
 * After a cycle: each connection it meant to read either failed (counted towards "failing") or was
 * read (clearing it). Paused connections were not asked, so they say nothing about Autotask.
 */
export async function recordConnectionHealth(health: ConnectionHealthRepository, context: SyncContext, log: FastifyBaseLogger): Promise<CycleHealth> {
  const failures: string[] = []
  for (const connection of context.connections) {
    if (connection.paused) continue
    const failure = context.autotaskFailures.get(connection.id)
    if (failure !== undefined) {
      failures.push(`${connection.name}: ${failure}`)
      const { startedFailing } = await health.recordFailure(connection.id, failure)
      if (startedFailing) log.error({ connection: connection.name, account: context.account.subdomain }, `Autotask connection "${connection.name}" is failing: ${failure}`)
    } else if (connection.ready) {
      const { recovered } = await health.recordSuccess(connection.id)
      if (recovered) log.info({ connection: connection.name, account: context.account.subdomain }, `Autotask connection "${connection.name}" works again`)
    }
  }
  return failures.length > 0 ? { status: 'degraded', error: failures.join('\n') } : { status: 'succeeded', error: null }
}
