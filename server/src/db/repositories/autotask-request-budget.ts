import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import type { AutotaskRequestGate, AutotaskRequestUsage } from '../../adapters/autotask/core/autotask-request-gate'
import { IntegrationError } from '../../errors/integration-error'
import { withTransaction } from '../transaction'

export interface PostgresRequestGateOptions {
  connectionId: number
  /** PSA Link's share of Autotask's 10,000 requests per rolling hour. */
  hourlyLimit: number
  maxInFlightPerEntity?: number
  /** Longer than the longest request: a holder that died frees its slot after this. */
  slotTtlSeconds?: number
  /** Wakes a caller waiting for a slot when another releases one (any instance); else it polls. */
  wake?: SlotWake
}

/** The part of the process's signals (jobs/signals.ts) the gate uses. */
export interface SlotWake {
  publish(topic: string): Promise<void>
  waiter(topic: string): { next(ms: number): Promise<unknown>; close(): void }
}

const POLL_MS = 25
/** With signals, the slot table is re-read this often only in case a release signal was lost. */
const SIGNALLED_RECHECK_MS = 500
/** The advisory lock space of budget charges (the second key is the connection). */
const BUDGET_LOCK = 732_014_017

/**
 * The request gate of one Autotask connection, kept in PostgreSQL: the
 * concurrency slots and the rolling-hour count are shared by every backend instance. Over budget,
 * a call fails at once with a retryable error saying when the budget frees up.
 */
export function createPostgresRequestGate(pool: Pool, options: PostgresRequestGateOptions): AutotaskRequestGate {
  const maxInFlight = options.maxInFlightPerEntity ?? 3
  const ttl = options.slotTtlSeconds ?? 180
  const prepared = new Set<string>()

  async function usage(): Promise<AutotaskRequestUsage> {
    const { rows } = await pool.query<{ requests: number }>(
      `SELECT coalesce(sum(requests), 0)::int AS requests FROM autotask_request_usage
        WHERE connection_id = $1 AND minute > now() - interval '1 hour'`,
      [options.connectionId],
    )
    return { requestsLastHour: rows[0]?.requests ?? 0, limit: options.hourlyLimit }
  }

  async function charge(): Promise<void> {
    const charged = await withTransaction(pool, async (client) => {
      // One charge at a time per connection, across instances: the count below is then read after
      // the previous charge committed, so instances racing for the last free request cannot all win.
      await client.query('SELECT pg_advisory_xact_lock($1, $2::int)', [BUDGET_LOCK, options.connectionId])
      const { rows } = await client.query(
        `WITH used AS (
           SELECT coalesce(sum(requests), 0) AS requests FROM autotask_request_usage
            WHERE connection_id = $1 AND minute > now() - interval '1 hour')
         INSERT INTO autotask_request_usage (connection_id, minute, requests)
         SELECT $1, date_trunc('minute', now()), 1 FROM used WHERE used.requests < $2
         ON CONFLICT (connection_id, minute) DO UPDATE SET requests = autotask_request_usage.requests + 1
         RETURNING requests`,
        [options.connectionId, options.hourlyLimit],
      )
      return rows.length > 0
    })
    if (charged) return
    const { rows } = await pool.query<{ seconds: number }>(
      `SELECT greatest(1, extract(epoch FROM min(minute) + interval '1 hour' - now()))::int AS seconds
         FROM autotask_request_usage WHERE connection_id = $1 AND minute > now() - interval '1 hour'`,
      [options.connectionId],
    )
    throw new IntegrationError({
      system: 'autotask',
      code: 'budget_exhausted',
      retryable: true,
      retryAfterSeconds: rows[0]?.seconds ?? 60,
      remoteMessage: `PSA Link's share of Autotask's hourly request limit (${options.hourlyLimit} requests) is used up.`,
    })
  }

  async function acquire(entity: string, holder: string): Promise<number> {
    if (!prepared.has(entity)) {
      await pool.query(
        `INSERT INTO autotask_request_slots (connection_id, entity, slot) SELECT $1, $2, generate_series(1, $3) ON CONFLICT DO NOTHING`,
        [options.connectionId, entity, maxInFlight],
      )
      prepared.add(entity)
    }
    // Armed before the first try, so a release between the try and the wait is not missed.
    const waiter = options.wake?.waiter(slotTopic(entity))
    try {
      for (;;) {
        const { rows } = await pool.query<{ slot: number }>(
          `UPDATE autotask_request_slots SET holder = $3, expires_at = now() + make_interval(secs => $4)
            WHERE (connection_id, entity, slot) IN (
              SELECT connection_id, entity, slot FROM autotask_request_slots
               WHERE connection_id = $1 AND entity = $2 AND slot <= $5 AND (holder IS NULL OR expires_at < now())
               ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING slot`,
          [options.connectionId, entity, holder, ttl, maxInFlight],
        )
        if (rows[0]) return rows[0].slot
        if (waiter) await waiter.next(SIGNALLED_RECHECK_MS)
        else await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    } finally {
      waiter?.close()
    }
  }

  const slotTopic = (entity: string) => `autotask-slot:${options.connectionId}:${entity}`

  return {
    usage,
    async run(entity, work) {
      await charge()
      const holder = randomUUID()
      const slot = await acquire(entity, holder)
      try {
        return await work()
      } finally {
        await pool.query(
          'UPDATE autotask_request_slots SET holder = NULL, expires_at = NULL WHERE connection_id = $1 AND entity = $2 AND slot = $3 AND holder = $4',
          [options.connectionId, entity, slot, holder],
        )
        // Not awaited: waiters in this process are woken at once, the NOTIFY for other instances
        // need not delay this caller's answer.
        void options.wake?.publish(slotTopic(entity)).catch(() => undefined)
      }
    },
  }
}
