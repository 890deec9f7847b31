import { HEAP_GROWING_PERCENT, keepHeapCompact } from '../../server/src/heap-growth'

describe('the heap kept near its live size', () => {
  it('sets V8’s heap growing percent when the operator chose no heap flags', () => {
    const set: string[] = []
    expect(keepHeapCompact({ execArgv: ['--enable-source-maps'], nodeOptions: '--dns-result-order=ipv4first', setFlags: (flags) => set.push(flags) })).toBe(
      true,
    )
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`])
  })

  it('leaves the heap alone when the operator sized it in NODE_OPTIONS or on the command line', () => {
    const set: string[] = []
    const setFlags = (flags: string) => set.push(flags)
    expect(keepHeapCompact({ execArgv: [], nodeOptions: '--max-old-space-size=512', setFlags })).toBe(false)
    expect(keepHeapCompact({ execArgv: ['--heap-growing-percent=80'], nodeOptions: '', setFlags })).toBe(false)
    expect(set).toEqual([])
  })
})
