/**
 * Runs `work` for every item, at most `atOnce` at a time, in the items' order of starting. The
 * first failure stops further items from starting and is thrown (items already started finish
 * on their own), as a one-by-one loop would stop at it.
 */
export async function eachAtOnce<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  async function runner(): Promise<void> {
    while (!failed && next < items.length) {
      const item = items[next++]!
      try {
        await work(item)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, atOnce), items.length) }, runner))
}
