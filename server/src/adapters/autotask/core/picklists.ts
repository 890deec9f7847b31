import type { AutotaskFieldInfo, AutotaskPicklistEntry } from './autotask-entities'

/** An entity's picklists by field name (the transport's own field names). */
export type EntityPicklists = Record<string, AutotaskPicklistEntry[]>

/**
 * Picklists per entity, read from its field info once per client: they change only when an admin
 * edits them in Autotask, and a client lives as long as its connection's settings. A failed read
 * is forgotten so that the next call asks again.
 */
export function createPicklistCache(fieldInfo: (entity: string) => Promise<AutotaskFieldInfo[]>): (entity: string) => Promise<EntityPicklists> {
  const cache = new Map<string, Promise<EntityPicklists>>()
  return (entity) => {
    let cached = cache.get(entity)
    if (!cached) {
      cached = fieldInfo(entity).then((fields) => Object.fromEntries(fields.filter((item) => item.isPickList).map((item) => [item.name, item.picklistValues])))
      cached.catch(() => cache.delete(entity))
      cache.set(entity, cached)
    }
    return cached
  }
}
