import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets its heap grow past what the last full collection kept alive, in percent. V8's
 * own default scales with the machine (a heap limit of about 4 GB on a 16 GB host) and lets the heap
 * reach up to four times its live size between full collections: a backfill keeps about 45 MB
 * alive, yet its process held 250–300 MB of heap pages, mostly garbage waiting for a collection.
 * At 30% the heap stays near its live size; the extra full collections cost little at that size.
 */
export const HEAP_GROWING_PERCENT = 30

/** Flags with which an operator sized the heap themselves: theirs win. */
const OPERATOR_HEAP_FLAGS = /--(heap-growing-percent|heap_growing_percent|max-old-space-size|max_old_space_size|optimize-for-size|optimize_for_size)\b/

/**
 * Keeps the heap close to its live size (see HEAP_GROWING_PERCENT), unless the operator chose heap
 * flags of their own (on the command line or in NODE_OPTIONS). V8 reads this flag at every full
 * collection, so setting it at start-up takes effect although the heap already exists. Returns
 * whether it was set.
 */
export function keepHeapCompact(options: { execArgv?: readonly string[]; nodeOptions?: string; setFlags?: (flags: string) => void } = {}): boolean {
  const chosen = `${(options.execArgv ?? process.execArgv).join(' ')} ${options.nodeOptions ?? process.env.NODE_OPTIONS ?? ''}`
  if (OPERATOR_HEAP_FLAGS.test(chosen)) return false
  ;(options.setFlags ?? setFlagsFromString)(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
