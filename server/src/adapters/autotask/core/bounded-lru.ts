/**
 * A least-recently-used map with a fixed number of entries: reading an entry moves it to the end,
 * and the entry at the front (used longest ago) goes when a new one would exceed the bound. A
 * Map keeps insertion order, so moving is delete-and-set. Every cache a gateway keeps for the
 * lifetime of a connection's settings uses one, so its memory stays flat however long it lives.
 */
export function createBoundedLru<K, V>(maxEntries: number) {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`an LRU needs at least one entry, not ${maxEntries}`)
  const entries = new Map<K, V>()

  return {
    get(key: K): V | undefined {
      if (!entries.has(key)) return undefined
      const value = entries.get(key) as V
      entries.delete(key)
      entries.set(key, value)
      return value
    },
    set(key: K, value: V): void {
      entries.delete(key)
      entries.set(key, value)
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K)
    },
    delete(key: K): void {
      entries.delete(key)
    },
    get size(): number {
      return entries.size
    },
  }
}

export type BoundedLru<K, V> = ReturnType<typeof createBoundedLru<K, V>>
