import { COMMENT_READS_AT_ONCE, readMissingComments } from '../../../server/src/sync/read-missing-comments'
import type { ZendeskComment, ZendeskTicket } from '../../../server/src/sync/ports/zendesk-gateway'
import type { TicketWork } from '../../../server/src/sync/ticket-work'

function work(id: number, comments: ZendeskComment[] | null = null): TicketWork {
  return {
    ticket: { id } as ZendeskTicket,
    link: null,
    comments,
    ledger: [],
    autotaskTicket: null,
    notes: [],
    synced: {} as TicketWork['synced'],
    zendeskChanged: true,
    outcome: null,
  }
}

/** A Zendesk stand-in whose reads finish only when the test lets them, counting how many are in flight. */
function heldZendesk() {
  const waiting: Array<() => void> = []
  const read: number[] = []
  let inFlight = 0
  let peak = 0
  return {
    read,
    peak: () => peak,
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
    waitingCount: () => waiting.length,
    async listComments(ticketId: number): Promise<ZendeskComment[]> {
      read.push(ticketId)
      inFlight += 1
      peak = Math.max(peak, inFlight)
      await new Promise<void>((resolve) => waiting.push(resolve))
      inFlight -= 1
      if (ticketId === 13) throw new Error('Zendesk answered 500')
      return [{ id: ticketId * 10 } as ZendeskComment]
    },
  }
}

async function drain(zendesk: ReturnType<typeof heldZendesk>, done: Promise<unknown>): Promise<void> {
  let finished = false
  void done.then(
    () => (finished = true),
    () => (finished = true),
  )
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve))
    zendesk.release()
  }
}

describe('reading comments for a batch', () => {
  it('reads a few at a time, never more, and fills every ticket that had none when given many', async () => {
    const zendesk = heldZendesk()
    const works = [...Array.from({ length: 10 }, (_, index) => work(index + 1)), work(99, [])]
    const done = readMissingComments(zendesk, works)
    await new Promise((resolve) => setImmediate(resolve))
    expect(zendesk.waitingCount()).toBe(COMMENT_READS_AT_ONCE)
    await drain(zendesk, done)
    await done
    expect(zendesk.peak()).toBe(COMMENT_READS_AT_ONCE)
    expect(zendesk.read.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(works.map((item) => item.comments?.length)).toEqual([...Array<number>(10).fill(1), 0])
  })

  it('throws the first failure and starts no further reads when one read fails', async () => {
    const zendesk = heldZendesk()
    const works = Array.from({ length: 30 }, (_, index) => work(index + 10))
    const done = readMissingComments(zendesk, works)
    await drain(zendesk, done)
    await expect(done).rejects.toThrow('Zendesk answered 500')
    // Ticket 13 is among the first reads; the readers stop soon after instead of reading all 30.
    expect(zendesk.read.length).toBeLessThan(12)
  })
})
