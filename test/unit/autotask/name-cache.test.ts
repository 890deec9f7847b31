import { createNameCache, NAME_MAX_AGE_MS } from '../../../server/src/adapters/autotask/core/name-cache'

describe('Autotask name cache', () => {
  it('reads only the ids it does not hold, and each again once its name is an hour old', async () => {
    let clock = 0
    const reads: number[][] = []
    const names = new Map([
      [1, 'Northwind'],
      [2, 'Contoso'],
      [3, 'Fabrikam'],
    ])
    const cache = createNameCache(
      async (ids) => {
        reads.push(ids)
        return new Map(ids.filter((id) => names.has(id)).map((id) => [id, names.get(id)!]))
      },
      () => clock,
    )

    expect(await cache([1, 2, 2])).toEqual(
      new Map([
        [1, 'Northwind'],
        [2, 'Contoso'],
      ]),
    )
    expect(await cache([2, 3])).toEqual(
      new Map([
        [2, 'Contoso'],
        [3, 'Fabrikam'],
      ]),
    )
    expect(await cache([1, 2, 3])).toEqual(
      new Map([
        [1, 'Northwind'],
        [2, 'Contoso'],
        [3, 'Fabrikam'],
      ]),
    )
    expect(reads).toEqual([[1, 2], [3]])

    names.set(1, 'Northwind Traders')
    clock = NAME_MAX_AGE_MS
    expect((await cache([1])).get(1)).toBe('Northwind Traders')
    expect(reads.at(-1)).toEqual([1])
  })

  it('keeps asking for an id Autotask does not know, rather than remembering it as nameless', async () => {
    const reads: number[][] = []
    const cache = createNameCache(async (ids) => {
      reads.push(ids)
      return new Map()
    })
    expect(await cache([9])).toEqual(new Map())
    expect(await cache([9])).toEqual(new Map())
    expect(reads).toEqual([[9], [9]])
  })
})
