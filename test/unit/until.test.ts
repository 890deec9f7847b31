import { eventually, until } from '../helpers/until'

// The suite's one polling helper: it must return the value that met the condition, and a timeout
// must say what was awaited and what was last seen, so a failing test explains itself.
describe('until', () => {
  it('returns the first value that meets the condition when it is met after some reads', async () => {
    let reads = 0
    const value = await until(
      () => (reads += 1),
      (n) => n >= 3,
      'the third read',
      5_000,
      1,
    )
    expect(value).toBe(3)
    expect(reads).toBe(3)
  })

  it('fails naming what it waited for and the last value when the condition is never met', async () => {
    await expect(
      until(
        () => ({ state: 'queued' }),
        (job) => job.state === 'done',
        'the job to finish',
        20,
        5,
      ),
    ).rejects.toThrow(/waiting for the job to finish; last value: \{"state":"queued"\}/)
  })

  it('resolves with the truthy value when eventually is used', async () => {
    let reads = 0
    expect(await eventually(() => ((reads += 1) === 2 ? 'ready' : null), 5_000)).toBe('ready')
  })
})
