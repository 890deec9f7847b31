import { createInMemoryRequestGate } from '../../../server/src/adapters/autotask/core/in-memory-request-gate'
import { isIntegrationError } from '../../../server/src/errors/integration-error'

describe('in-memory Autotask request gate', () => {
  it('lets at most three requests per entity run at once when more are queued', async () => {
    const gate = createInMemoryRequestGate({ hourlyLimit: 100 })
    let running = 0
    let peak = 0
    const releases: Array<() => void> = []
    const work = () =>
      new Promise<void>((resolve) => {
        running += 1
        peak = Math.max(peak, running)
        releases.push(() => {
          running -= 1
          resolve()
        })
      })
    const all = Promise.all(Array.from({ length: 7 }, () => gate.run('Ticket', work)))
    const other = gate.run('TicketNote', async () => 'note')
    await expect(other).resolves.toBe('note')
    await vi.waitFor(() => expect(releases.length).toBe(3))
    expect(gate.inFlight('Ticket')).toBe(3)
    while (releases.length > 0) {
      releases.shift()?.()
      await Promise.resolve()
      await Promise.resolve()
    }
    await vi.waitFor(async () => {
      releases.shift()?.()
      expect(running).toBe(0)
      expect(releases.length).toBe(0)
    })
    await all
    expect(peak).toBe(3)
  })

  it('charges every request to a rolling hour and refuses past the limit when the budget is spent', async () => {
    let now = 1_000_000
    const gate = createInMemoryRequestGate({ hourlyLimit: 2, now: () => now })
    await gate.run('Ticket', async () => 1)
    now += 10_000
    await gate.run('Account', async () => 1)
    expect(gate.usage()).toEqual({ requestsLastHour: 2, limit: 2 })
    const refused = await gate.run('Ticket', async () => 1).catch((error: unknown) => error)
    expect(isIntegrationError(refused) && refused.code === 'hourly_threshold' && refused.retryable).toBe(true)
    expect(isIntegrationError(refused) ? refused.retryAfterSeconds : 0).toBe(3600 - 10)
    now += 3_600_000 - 9_999
    expect(gate.usage().requestsLastHour).toBe(1)
    await expect(gate.run('Ticket', async () => 'again')).resolves.toBe('again')
  })
})
