import { createWorkLimiter, WorkQueueFull } from '../../server/src/admin/work-limiter'

/** Work that finishes when the test says so. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

describe('createWorkLimiter', () => {
  it('runs at most `concurrency` at once, starts the waiting ones in arrival order and refuses beyond the queue when full', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, maxQueued: 2 })
    const started: number[] = []
    const gates = [gate(), gate(), gate(), gate()]
    const runs = gates.map((work, index) =>
      limiter.run(async () => {
        started.push(index)
        await work.opened
        return index
      }),
    )
    await expect(limiter.run(async () => 'never')).rejects.toBeInstanceOf(WorkQueueFull)
    await vi.waitFor(() => expect(started).toEqual([0, 1]))
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 2, refused: 1 })

    gates[1]!.open()
    await vi.waitFor(() => expect(started).toEqual([0, 1, 2]))
    for (const work of gates) work.open()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3])
    expect(limiter.stats()).toEqual({ running: 0, queued: 0, peakRunning: 2, refused: 1 })
  })

  it('frees the slot of work that failed when the next one waits', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, maxQueued: 1 })
    const failing = limiter.run(async () => {
      throw new Error('scrypt failed')
    })
    const next = limiter.run(async () => 'ran')
    await expect(failing).rejects.toThrow('scrypt failed')
    expect(await next).toBe('ran')
    expect(limiter.stats().running).toBe(0)
  })
})
