import { createBoundedLru } from '../../../server/src/adapters/autotask/core/bounded-lru'
import { createNameCache } from '../../../server/src/adapters/autotask/core/name-cache'
import { createOwnWrites } from '../../../server/src/adapters/autotask/core/own-writes'
import type { AutotaskTicketEntity } from '../../../server/src/adapters/autotask/core/autotask-entities'

describe('bounded LRU', () => {
  it('drops the entry used longest ago when a new one would pass the bound', () => {
    const lru = createBoundedLru<number, string>(2)
    lru.set(1, 'one')
    lru.set(2, 'two')
    expect(lru.get(1)).toBe('one')
    lru.set(3, 'three')
    expect([lru.get(1), lru.get(2), lru.get(3)]).toEqual(['one', undefined, 'three'])
    expect(lru.size).toBe(2)
  })
})

describe('name cache bound', () => {
  it('keeps the names in use and reads again only the one evicted when more ids pass than it holds', async () => {
    const reads: number[][] = []
    const cache = createNameCache(
      async (ids) => {
        reads.push(ids)
        return new Map(ids.map((id) => [id, `Name ${id}`]))
      },
      () => 0,
      2,
    )
    await cache([1, 2])
    await cache([1])
    await cache([3])
    await cache([1, 2, 3])
    expect(reads).toEqual([[1, 2], [3], [2]])
  })
})

describe('own writes bound', () => {
  it('remembers at most its bound of tickets, forgetting the oldest first', () => {
    const ticket = (id: number): AutotaskTicketEntity => ({
      id,
      ticketNumber: `T${id}`,
      title: 'Title',
      description: 'Text',
      accountId: 1,
      installedProductId: null,
      status: 1,
      priority: 2,
      queueId: null,
      dueDateTime: null,
      source: null,
      ticketType: null,
      externalId: '',
      createDate: null,
      lastActivityDate: null,
      completedDate: null,
      userDefinedFields: {},
      otherFields: { LastActivityResourceID: 7 },
    })
    const own = createOwnWrites(3)
    own.remember([1, 2, 3, 4].map(ticket))
    expect(own.size).toBe(3)
    expect([1, 2, 3, 4].map((id) => own.isOwnEcho(ticket(id), 7))).toEqual([false, true, true, true])
    expect(own.isOwnEcho({ ...ticket(4), description: 'Changed' }, 7)).toBe(false)
    expect(own.isOwnEcho({ ...ticket(4), otherFields: { LastActivityResourceID: 8 } }, 7)).toBe(false)
  })
})
