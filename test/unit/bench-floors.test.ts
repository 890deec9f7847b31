import { autotaskFloorSeconds, autotaskMinimum, slidingWindowSeconds, zendeskPlan, type LatencyProfile } from '../bench/floors'

// Every expected number below is worked out by hand in the comment next to it.
const flat: LatencyProfile = { name: 'flat', zendeskMs: 20, autotaskMs: 20, autotaskPerEntityMs: 0 }
const realistic: LatencyProfile = { name: 'realistic', zendeskMs: 225, autotaskMs: 300, autotaskPerEntityMs: 10 }
const backfill = { ticketCreates: 2000, noteCreates: 8000, ticketUpdates: 0, routeLookups: 4 }
const steadyCycle = {
  ticketCreates: 0,
  noteCreates: 20,
  ticketUpdates: 20,
  routeLookups: 0,
  scans: [
    { entity: 'Ticket', rows: 0 },
    { entity: 'TicketNote', rows: 200 },
  ],
}

describe('the strict Autotask minimum', () => {
  it('counts batched creates, pooled read-backs and one route query for a SOAP backfill', () => {
    // 1 route query + 2000/200 ticket creates + 2000/500 read-backs + 8000/200 note creates = 1 + 10 + 4 + 40
    expect(autotaskMinimum('soap', backfill).total).toBe(55)
  })

  it('counts one write per entity when the backfill runs over REST', () => {
    // 1 route query + 500 ticket creates + 1 read-back + 2000 note creates
    expect(autotaskMinimum('rest', { ticketCreates: 500, noteCreates: 2000, ticketUpdates: 0, routeLookups: 4 }).total).toBe(2502)
  })

  it('counts a read before the update and both change scans when a steady cycle pushes 20 edits', () => {
    // ticket scan 1 + note scan 1 (200 rows) + read 1 + update 1 + note create 1 = 5 on SOAP;
    // REST: 1 + 1 + 1 + 20 updates + 20 note creates = 43
    expect(autotaskMinimum('soap', steadyCycle).total).toBe(5)
    expect(autotaskMinimum('rest', steadyCycle).total).toBe(43)
  })

  it('costs nothing when there is nothing to do and no scan to make', () => {
    expect(autotaskMinimum('soap', { ticketCreates: 0, noteCreates: 0, ticketUpdates: 0, routeLookups: 0 })).toEqual({ total: 0, calls: [] })
  })
})

describe('the sliding window', () => {
  it('lets a full window through at once and makes each further block wait a window', () => {
    expect(slidingWindowSeconds(0, 700, 60)).toBe(0)
    expect(slidingWindowSeconds(700, 700, 60)).toBe(0)
    expect(slidingWindowSeconds(701, 700, 60)).toBe(60)
    // 2002 requests: blocks of 700, 700, 602 → the third starts two windows later
    expect(slidingWindowSeconds(2002, 700, 60)).toBe(120)
  })
})

describe('the Autotask floor', () => {
  it('is bound by the busiest entity on its three threads under flat latency', () => {
    // Notes: 40 creates × 20 ms / 3 threads = 266.7 ms; tickets: 14 × 20 / 3 = 93.3 ms; chain 60 ms
    expect(autotaskFloorSeconds(autotaskMinimum('soap', backfill), flat)).toBeCloseTo(0.2667, 3)
  })

  it('charges every written entity when batches cost more per entity', () => {
    // Notes: (40 × 300 + 8000 × 10) / 3 = 30,666.7 ms; tickets: (10 × 300 + 2000 × 10 + 4 × 300) / 3 = 8066.7 ms
    expect(autotaskFloorSeconds(autotaskMinimum('soap', backfill), realistic)).toBeCloseTo(30.667, 2)
  })

  it('waits a rolling hour when the minimum exceeds the hourly budget', () => {
    // REST: 1 + 2000 + 4 + 8000 = 10,005 requests > 10,000 → one hour; notes 8000 × 20 / 3 = 53.3 s
    const minimum = autotaskMinimum('rest', backfill)
    expect(minimum.total).toBe(10_005)
    expect(autotaskFloorSeconds(minimum, flat)).toBeCloseTo(3600 + 53.333, 2)
  })
})

describe('the Zendesk plan', () => {
  it('mixes the event export and per-ticket reads inside one window for 2000 tickets', () => {
    // 2 ticket pages + 8 event pages (200 tickets × 5 comments each) + 400 reads = 410 ≤ 700;
    // chain: 8 pages one after another + one round of parallel reads = 9 × 20 ms
    expect(zendeskPlan({ exportedTickets: 2000, commentTickets: 2000, commentsPerTicket: 5, ticketUpdates: 0 }, 20)).toEqual({
      floorSeconds: 0.18,
      exportPages: 2,
      eventPages: 8,
      commentReads: 400,
      ticketUpdates: 0,
      requests: 410,
    })
  })

  it('needs five windows for 10,000 tickets × 5 comments', () => {
    // k windows: 10k − 10 event pages cover 200 tickets each, reads = 12000 − 2000k, requests = 12000 − 1990k ≤ 700k → k = 5:
    // 40 event pages, 2000 reads, 2050 requests; 4 × 60 s + (40 + 1) × 20 ms
    const plan = zendeskPlan({ exportedTickets: 10_000, commentTickets: 10_000, commentsPerTicket: 5, ticketUpdates: 0 }, 20)
    expect(plan).toMatchObject({ exportPages: 10, eventPages: 40, commentReads: 2000, requests: 2050 })
    expect(plan.floorSeconds).toBeCloseTo(240.82, 5)
  })

  it('waits for the ticket-update window when 200 notes become comments', () => {
    // 200 updates at 100 per minute → 2 windows; 1 ticket page + 1 event page + 200 writes
    const plan = zendeskPlan({ exportedTickets: 20, commentTickets: 20, commentsPerTicket: 1, ticketUpdates: 200 }, 20)
    expect(plan).toMatchObject({ exportPages: 1, eventPages: 1, commentReads: 0, requests: 202 })
    expect(plan.floorSeconds).toBeCloseTo(60.04, 5)
  })
})
