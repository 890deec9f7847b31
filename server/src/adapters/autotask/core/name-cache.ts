import { createBoundedLru } from './bounded-lru'

/** How long a name read from Autotask is used before it is read again. */
export const NAME_MAX_AGE_MS = 60 * 60 * 1000
/** Names kept per cache: far more than the resources and accounts one cycle names. */
export const NAME_CACHE_MAX_ENTRIES = 5_000

/**
 * Names of Autotask records (accounts, resources) by id, kept for an hour. Every cycle that mirrors
 * a note or saves a ticket's snapshot needs them, and they rarely change: reading them once an
 * hour instead of once a batch keeps a quiet cycle to its change scans. A renamed account shows
 * its new name within the hour. Bounded as an LRU: the names in use stay, the rest make room.
 */
export function createNameCache(read: (ids: number[]) => Promise<Map<number, string>>, now: () => number = Date.now, maxEntries = NAME_CACHE_MAX_ENTRIES) {
  const entries = createBoundedLru<number, { name: string; readAt: number }>(maxEntries)

  return async function names(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>()
    const missing: number[] = []
    for (const id of new Set(ids)) {
      const entry = entries.get(id)
      if (entry && now() - entry.readAt < NAME_MAX_AGE_MS) found.set(id, entry.name)
      else missing.push(id)
    }
    if (missing.length === 0) return found
    const readAt = now()
    for (const [id, name] of await read(missing)) {
      entries.set(id, { name, readAt })
      found.set(id, name)
    }
    return found
  }
}
