import { IntegrationError } from '../../../errors/integration-error'
import type { EntityWriteResult } from '../core/autotask-entities'
import { errorFromAutotaskMessages } from '../core/autotask-errors'

/** What one create/update call answered: the saved entities in input order, or Autotask's errors. */
export type BatchOutcome<T> = { ok: true; entities: T[] } | { ok: false; messages: string[] }

export const maxEntitiesPerCall = 200

function recordNumber(messages: string[], size: number): number | undefined {
  for (const message of messages) {
    const match = /record number \[(\d+)\]/i.exec(message)
    const number = match ? Number(match[1]) : NaN
    if (number >= 1 && number <= size) return number
  }
  return undefined
}

/**
 * Calls of one write sent side by side: two of Autotask's three threads per integration and
 * entity (AUTOTASK_FACTS.md §3, ThreadLimiting), so a backfill's 200-note calls, each costing
 * Autotask time per entity, overlap, while the third thread stays free for an agent's Sync now.
 */
export const CALLS_AT_ONCE = 2

export interface BatchWriteOptions<I> {
  /**
   * Items with the same key keep their order: a call holding some waits for every earlier call
   * holding the same key (a ticket's notes are saved in the order of its comments).
   */
  keyOf?: (item: I) => string | number
  callsAtOnce?: number
}

/**
 * Writes items in calls of at most 200, CALLS_AT_ONCE at a time. Autotask saves a call
 * all-or-nothing, so a rejected call is split: at the record its error names when it names one,
 * else in halves, until each bad record stands alone and every good one has gone through. Results
 * come back in input order.
 *
 * A call that fails as a whole (timeout, threshold, outage) is never retried here: a timed-out
 * create may have been saved, and only the engine can look it up by natural key first. No call
 * starts after one failed so; those in flight are awaited. The error is thrown when nothing was
 * written; otherwise it becomes the result of every item not written.
 */
export async function writeInBatches<I, T>(
  items: readonly I[],
  send: (batch: I[]) => Promise<BatchOutcome<T>>,
  options: BatchWriteOptions<I> = {},
): Promise<Array<EntityWriteResult<T>>> {
  const results: Array<EntityWriteResult<T> | undefined> = new Array(items.length)
  let anyWritten = false
  let stopped: IntegrationError | undefined

  async function attempt(indexes: number[]): Promise<void> {
    if (indexes.length === 0 || stopped) return
    let outcome: BatchOutcome<T>
    try {
      outcome = await send(indexes.map((index) => items[index] as I))
    } catch (error) {
      stopped ??= error instanceof IntegrationError ? error : errorFromAutotaskMessages([String(error)])
      return
    }
    if (outcome.ok) {
      anyWritten = true
      indexes.forEach((index, position) => {
        const entity = outcome.entities[position]
        results[index] =
          entity === undefined ? { ok: false, error: errorFromAutotaskMessages(['Autotask returned fewer entities than were sent.']) } : { ok: true, entity }
      })
      return
    }
    if (indexes.length === 1) {
      results[indexes[0] as number] = { ok: false, error: errorFromAutotaskMessages(outcome.messages) }
      return
    }
    const named = recordNumber(outcome.messages, indexes.length)
    if (named !== undefined) {
      const badIndex = indexes[named - 1] as number
      results[badIndex] = {
        ok: false,
        error: errorFromAutotaskMessages(outcome.messages.map((message) => message.replace(/record number \[\d+\]/i, 'record number [1]'))),
      }
      await attempt(indexes.slice(0, named - 1))
      await attempt(indexes.slice(named))
      return
    }
    const middle = Math.ceil(indexes.length / 2)
    await attempt(indexes.slice(0, middle))
    await attempt(indexes.slice(middle))
  }

  const calls: number[][] = []
  for (let start = 0; start < items.length; start += maxEntitiesPerCall) {
    calls.push(Array.from({ length: Math.min(maxEntitiesPerCall, items.length - start) }, (_, offset) => start + offset))
  }
  await runInOrderOfKeys(calls, options, items, attempt)
  if (stopped && !anyWritten) throw stopped
  return Array.from(
    results,
    (result): EntityWriteResult<T> => result ?? { ok: false, error: stopped ?? errorFromAutotaskMessages(['The item was not written.']) },
  )
}

/**
 * Runs `attempt` for each call, at most `callsAtOnce` at a time, each after every earlier call
 * that shares one of its items' keys.
 */
async function runInOrderOfKeys<I>(
  calls: number[][],
  options: BatchWriteOptions<I>,
  items: readonly I[],
  attempt: (indexes: number[]) => Promise<void>,
): Promise<void> {
  const limit = Math.max(1, options.callsAtOnce ?? CALLS_AT_ONCE)
  const lastCallOfKey = new Map<string | number, Promise<void>>()
  const running = new Set<Promise<void>>()
  const all: Promise<void>[] = []
  for (const call of calls) {
    const keys = options.keyOf ? new Set(call.map((index) => options.keyOf!(items[index] as I))) : new Set<string | number>()
    const before = [...keys].map((key) => lastCallOfKey.get(key)).filter((earlier): earlier is Promise<void> => earlier !== undefined)
    while (running.size >= limit) await Promise.race(running).catch(() => undefined)
    const done: Promise<void> = Promise.all(before).then(() => attempt(call))
    running.add(done)
    done.finally(() => running.delete(done)).catch(() => undefined)
    for (const key of keys) lastCallOfKey.set(key, done)
    all.push(done)
  }
  await Promise.all(all)
}
