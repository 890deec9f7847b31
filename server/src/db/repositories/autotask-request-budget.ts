import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import type { AutotaskRequestGate, AutotaskRequestUsage } from '../../adapters/autotask/core/autotask-request-gate'
import { IntegrationError } from '../../errors/integration-error'
import { createLocalSlotTurns, type HeldSlot } from './local-slot-turns'

export interface PostgresRequestGateOptions {
  connectionId: number
  /** PSA Link's share of Autotask's 10,000 requests per rolling hour. */
  hourlyLimit: number
  maxInFlightPerEntity?: number
  /** Longer than the longest request: a holder that died frees its slot after this. */
  slotTtlSeconds?: number
  /** Wakes a caller waiting for a slot when another releases one (any instance); else it polls. */
  wake?: SlotWake
  /** How long a freed slot waits for this process's next request of the entity before it is released (local-slot-turns.ts). */
  parkMs?: number
}

/** The part of the process's signals (jobs/signals.ts) the gate uses. */
export interface SlotWake {
  publish(topic: string): Promise<void>
  waiter(topic: string): { next(ms: number): Promise<unknown>; close(): void }
}

const POLL_MS = 25
/** Long enough for a lane's next request (sent as soon as the previous answer is handled), short for other instances. */
const DEFAULT_PARK_MS = 5
/** With signals, the slot table is re-read this often only in case a release signal was lost. */
const SIGNALLED_RECHECK_MS = 500

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

  async function budgetExhausted(): Promise<IntegrationError> {
    const { rows } = await pool.query<{ seconds: number }>(
      `SELECT greatest(1, extract(epoch FROM min(minute) + interval '1 hour' - now()))::int AS seconds
         FROM autotask_request_usage WHERE connection_id = $1 AND minute > now() - interval '1 hour'`,
      [options.connectionId],
    )
    return new IntegrationError({
      system: 'autotask',
      code: 'budget_exhausted',
      retryable: true,
      retryAfterSeconds: rows[0]?.seconds ?? 60,
      remoteMessage: `PSA Link's share of Autotask's hourly request limit (${options.hourlyLimit} requests) is used up.`,
    })
  }

  /**
   * Charges the hourly budget and takes a slot in one round trip (migration 029 says why that is
   * still atomic across instances); waits for a released slot when all are held.
   */
  async function take(entity: string): Promise<HeldSlot> {
    const holder = randomUUID()
    if (!prepared.has(entity)) {
      await pool.query(`INSERT INTO autotask_request_slots (connection_id, entity, slot) SELECT $1, $2, generate_series(1, $3) ON CONFLICT DO NOTHING`, [
        options.connectionId,
        entity,
        maxInFlight,
      ])
      prepared.add(entity)
    }
    // Armed before the first try, so a release between the try and the wait is not missed.
    const waiter = options.wake?.waiter(slotTopic(entity))
    try {
      for (;;) {
        const { rows } = await pool.query<{ slot: number }>('SELECT autotask_take_request($1, $2, $3, $4, $5, $6) AS slot', [
          options.connectionId,
          entity,
          holder,
          ttl,
          maxInFlight,
          options.hourlyLimit,
        ])
        const slot = rows[0]?.slot ?? 0
        if (slot > 0) return { slot, holder, renewedAt: Date.now() }
        if (slot < 0) throw await budgetExhausted()
        if (waiter) await waiter.next(SIGNALLED_RECHECK_MS)
        else await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    } finally {
      waiter?.close()
    }
  }

  /**
   * Charges the hourly budget for a slot this process still holds and renews it, in one round trip
   * (migration 031). Null when the slot was lost meanwhile (it expired and another instance took it).
   */
  async function takeOnHeldSlot(entity: string, held: HeldSlot): Promise<HeldSlot | null> {
    const { rows } = await pool.query<{ slot: number }>('SELECT autotask_take_request_on_held_slot($1, $2, $3, $4, $5, $6) AS slot', [
      options.connectionId,
      entity,
      held.slot,
      held.holder,
      ttl,
      options.hourlyLimit,
    ])
    const slot = rows[0]?.slot ?? 0
    if (slot < 0) throw await budgetExhausted()
    if (slot === 0) return null
    held.renewedAt = Date.now()
    return held
  }

  /**
   * The charge of a request waiting behind this process's own requests of the entity, paid while
   * it waits, on a slot one of them holds (renewing that slot too): handed a slot, the request
   * leaves at once instead of spending a round trip to PostgreSQL inside Autotask's thread. False
   * when no slot was at hand (the request pays when it gets one).
   */
  async function prepay(entity: string): Promise<boolean> {
    const held = turns.longestUnrenewed(entity)
    return held ? (await takeOnHeldSlot(entity, held)) !== null : false
  }

  /** Frees the slot and wakes whoever waits for one, in this process and the others. */
  async function release(entity: string, { slot, holder }: HeldSlot): Promise<void> {
    await pool.query(
      'UPDATE autotask_request_slots SET holder = NULL, expires_at = NULL WHERE connection_id = $1 AND entity = $2 AND slot = $3 AND holder = $4',
      [options.connectionId, entity, slot, holder],
    )
    await options.wake?.publish(slotTopic(entity))
  }

  const slotTopic = (entity: string) => `autotask-slot:${options.connectionId}:${entity}`
  // A release that fails is taken back by the slot's expiry.
  const releaseQuietly = (entity: string, held: HeldSlot) => void release(entity, held).catch(() => undefined)
  const turns = createLocalSlotTurns({ maxInFlight, parkMs: options.parkMs ?? DEFAULT_PARK_MS, release: releaseQuietly })

  /**
   * A slot for one request: the one handed over by this process's previous request (already paid
   * for when `paid`), else one from the table. A slot not renewed for a third of its time to live
   * is charged on again: its expiry must never pass while it is used (prepaid charges renew the
   * slots in use in turn, so under steady traffic this does not happen). That, and a prepaid
   * request handed no slot (the one before it failed to get one), pay twice: the hour's count errs
   * high, never low.
   */
  async function slotFor(entity: string, handed: HeldSlot | null, paid: boolean): Promise<HeldSlot> {
    if (!handed) return take(entity)
    if (paid && Date.now() - handed.renewedAt < (ttl * 1000) / 3) return handed
    return (await takeOnHeldSlot(entity, handed)) ?? (await take(entity))
  }

  return {
    usage,
    async run(entity, work) {
      const { queued, granted } = turns.turn(entity)
      const prepaid = queued ? prepay(entity) : Promise.resolve(false)
      // Awaited once the turn comes; meanwhile a refusal must not count as unhandled.
      prepaid.catch(() => undefined)
      const handed = await granted
      let held: HeldSlot
      try {
        held = await slotFor(entity, handed, await prepaid)
      } catch (error) {
        // A handed slot is still this process's: it goes on to the next request, which pays for itself.
        turns.finish(entity, handed)
        throw error
      }
      turns.use(entity, held)
      try {
        return await work()
      } finally {
        // The slot goes to this process's next request of the entity, or back to the table shortly:
        // the caller's answer is ready now, nothing here is awaited.
        turns.finish(entity, held)
      }
    },
  }
}
