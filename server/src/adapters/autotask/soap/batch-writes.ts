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
 * Writes items in calls of at most 200. Autotask saves a call all-or-nothing, so a rejected call is
 * split: at the record its error names when it names one, else in halves, until each bad record
 * stands alone and every good one has gone through. Results come back in input order.
 *
 * A call that fails as a whole (timeout, threshold, outage) is never retried here: a timed-out
 * create may have been saved, and only the engine can look it up by natural key first. Such an
 * error is thrown when nothing was written yet; otherwise it becomes the result of every item not
 * yet written.
 */
export async function writeInBatches<I, T>(items: readonly I[], send: (batch: I[]) => Promise<BatchOutcome<T>>): Promise<Array<EntityWriteResult<T>>> {
  const results: Array<EntityWriteResult<T> | undefined> = new Array(items.length)
  let anyWritten = false
  let stopped: IntegrationError | undefined

  async function attempt(indexes: number[]): Promise<void> {
    if (indexes.length === 0 || stopped) return
    let outcome: BatchOutcome<T>
    try {
      outcome = await send(indexes.map((index) => items[index] as I))
    } catch (error) {
      const failure = error instanceof IntegrationError ? error : errorFromAutotaskMessages([String(error)])
      if (!anyWritten) throw failure
      stopped = failure
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

  const all = items.map((_, index) => index)
  for (let start = 0; start < all.length && !stopped; start += maxEntitiesPerCall) await attempt(all.slice(start, start + maxEntitiesPerCall))
  return Array.from(
    results,
    (result): EntityWriteResult<T> => result ?? { ok: false, error: stopped ?? errorFromAutotaskMessages(['The item was not written.']) },
  )
}
