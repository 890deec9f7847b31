import { IntegrationError } from '../../../server/src/errors/integration-error'
import { CALLS_AT_ONCE, writeInBatches, type BatchOutcome } from '../../../server/src/adapters/autotask/soap/batch-writes'

interface Note {
  ticketId: number
  text: string
}

/** A fake Autotask that answers each call after `ms`, recording when calls start and end. */
function slowAutotask(ms: number, fail?: (call: number) => IntegrationError | null) {
  const calls: Array<{ items: Note[]; startedAt: number; endedAt?: number }> = []
  let inFlight = 0
  let mostInFlight = 0
  const saved: Note[] = []
  const send = async (batch: Note[]): Promise<BatchOutcome<number>> => {
    const call = { items: batch, startedAt: performance.now(), endedAt: undefined as number | undefined }
    const number = calls.push(call) - 1
    inFlight += 1
    mostInFlight = Math.max(mostInFlight, inFlight)
    try {
      await new Promise((resolve) => setTimeout(resolve, ms))
      const failure = fail?.(number)
      if (failure) throw failure
      saved.push(...batch)
      return { ok: true, entities: batch.map((_, index) => saved.length - batch.length + index + 1) }
    } finally {
      inFlight -= 1
      call.endedAt = performance.now()
    }
  }
  return { send, calls, saved, mostInFlight: () => mostInFlight }
}

const notes = (tickets: number, perTicket: number): Note[] =>
  Array.from({ length: tickets * perTicket }, (_, index) => ({ ticketId: 1 + Math.floor(index / perTicket), text: `comment ${index % perTicket}` }))

describe('SOAP writes in calls of 200, a few at once', () => {
  it('sends two calls side by side when a backfill writes a thousand notes', async () => {
    const autotask = slowAutotask(30)
    const items = notes(1000, 1)
    const results = await writeInBatches(items, autotask.send, { keyOf: (note) => note.ticketId })
    expect(autotask.calls).toHaveLength(5)
    expect(autotask.mostInFlight()).toBe(CALLS_AT_ONCE)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(autotask.saved).toHaveLength(1000)
  })

  it("saves a ticket's notes in comment order when they straddle two calls", async () => {
    const autotask = slowAutotask(30)
    // 3 notes a ticket: ticket 67's notes are items 198–200, across the first call's end.
    const items = notes(134, 3)
    await writeInBatches(items, autotask.send, { keyOf: (note) => note.ticketId })
    const [first, second] = autotask.calls
    expect(first!.items.at(-1)!.ticketId).toBe(second!.items[0]!.ticketId)
    expect(second!.startedAt).toBeGreaterThanOrEqual(first!.endedAt!)
    const ticket67 = autotask.saved.filter((note) => note.ticketId === 67).map((note) => note.text)
    expect(ticket67).toEqual(['comment 0', 'comment 1', 'comment 2'])
  })

  it('starts no call after one failed as a whole and reports the rest unwritten when Autotask times out', async () => {
    const timeout = new IntegrationError({ system: 'autotask', code: 'outcome_unknown', retryable: true, remoteMessage: 'Autotask did not answer in time.' })
    const autotask = slowAutotask(30, (call) => (call === 1 ? timeout : null))
    const results = await writeInBatches(notes(1000, 1), autotask.send)
    // Calls 0 and 1 went together; call 1 failed, so call 2 (started when 0 ended) is the last one.
    expect(autotask.calls.length).toBeLessThanOrEqual(3)
    const written = results.filter((result) => result.ok).length
    expect(written).toBe(autotask.saved.length)
    expect(results.slice(200, 400).every((result) => !result.ok && result.error === timeout)).toBe(true)
  })

  it('throws the failure when nothing was written', async () => {
    const outage = new IntegrationError({ system: 'autotask', code: 'unavailable', retryable: true, remoteMessage: 'Autotask is unavailable.' })
    const autotask = slowAutotask(10, () => outage)
    await expect(writeInBatches(notes(500, 1), autotask.send)).rejects.toBe(outage)
  })
})
