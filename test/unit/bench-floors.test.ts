import {
  autotaskFloorSeconds,
  autotaskMinimum,
  serviceSeconds,
  slidingWindowSeconds,
  withAutotaskService,
  zendeskCallMs,
  zendeskPlan,
  type LatencyProfile,
} from '../bench/floors'

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

describe('the service floor', () => {
  // What the emulators measured in a SOAP backfill: PSA Link made 20 ticket creates where 10 would do.
  const measured = {
    'query:InstalledProduct': { requests: 1, ms: 3, written: 0 },
    'create:Ticket': { requests: 20, ms: 600, written: 2000 },
    'query:Ticket': { requests: 8, ms: 40, written: 0 },
    'create:TicketNote': { requests: 40, ms: 1600, written: 8000 },
  }

  it('charges writes per written entity and queries per call of the minimum, never per call PSA Link made', () => {
    // route 1 × 3 ms; ticket creates 2000 × (600 / 2000) = 600 ms; read-backs 4 × (40 / 8) = 20 ms; notes 8000 × 0.2 = 1600 ms
    const charged = withAutotaskService(autotaskMinimum('soap', backfill), measured).calls.map((call) => [call.what, call.entity, call.serviceMs])
    expect(charged).toEqual([
      ['route query', 'InstalledProduct', 3],
      ['create', 'Ticket', 600],
      ['read-back', 'Ticket', 20],
      ['create', 'TicketNote', 1600],
    ])
  })

  it('adds the service time to each entity’s busy threads under flat latency', () => {
    // Notes: (40 × 20 + 1600) / 3 = 800 ms; tickets: (14 × 20 + 600 + 20) / 3 = 300 ms; chain 23 + 80 + 60 = 163 ms
    expect(autotaskFloorSeconds(withAutotaskService(autotaskMinimum('soap', backfill), measured), flat)).toBeCloseTo(0.8, 6)
  })

  it('is bound by one call’s latency and service when a single call is the whole phase', () => {
    // One 200-ticket create: 20 ms + 200 × (600 / 2000) = 80 ms; alone on its thread, so 80 ms, not 80 / 3
    const minimum = autotaskMinimum('soap', { ticketCreates: 200, noteCreates: 0, ticketUpdates: 0, routeLookups: 0 })
    const onlyCreates = withAutotaskService({ ...minimum, calls: minimum.calls.filter((call) => call.what === 'create') }, measured)
    expect(autotaskFloorSeconds({ ...onlyCreates, total: 1 }, flat)).toBeCloseTo(0.08, 6)
  })

  it('charges nothing for a kind of call the emulator never measured', () => {
    expect(withAutotaskService(autotaskMinimum('soap', steadyCycle), {}).calls.every((call) => call.serviceMs === 0)).toBe(true)
    expect(autotaskFloorSeconds(withAutotaskService(autotaskMinimum('soap', steadyCycle), {}), flat)).toBeCloseTo(
      autotaskFloorSeconds(autotaskMinimum('soap', steadyCycle), flat),
      9,
    )
  })

  it('adds each Zendesk kind’s mean service time to the latency', () => {
    // ticket pages 25 / 5 = 5 ms; event pages 130 / 13 = 10 ms; comment reads not measured; updates 402 / 201 = 2 ms
    const zendesk = {
      'GET /api/v2/incremental/tickets/cursor': { requests: 5, ms: 25 },
      'GET /api/v2/incremental/ticket_events': { requests: 13, ms: 130 },
      'PUT /api/v2/tickets/:id': { requests: 201, ms: 402 },
    }
    expect(zendeskCallMs(20, zendesk)).toEqual({ exportPage: 25, eventPage: 30, commentRead: 20, ticketUpdate: 22 })
  })

  it('runs the two exports as two chains and then one round of reads when the kinds cost differently', () => {
    // 2 ticket pages × 25 = 50 ms beside 8 event pages × 30 = 240 ms, then a round of reads at 22 ms = 262 ms
    const plan = zendeskPlan(
      { exportedTickets: 2000, commentTickets: 2000, commentsPerTicket: 5, ticketUpdates: 0 },
      { exportPage: 25, eventPage: 30, commentRead: 22, ticketUpdate: 40 },
    )
    expect(plan).toMatchObject({ exportPages: 2, eventPages: 8, commentReads: 400, requests: 410 })
    expect(plan.floorSeconds).toBeCloseTo(0.262, 9)
  })

  it('is bound by the ticket export’s chain when its pages cost more than the events’', () => {
    // 2 ticket pages × 150 = 300 ms beside 8 event pages × 30 = 240 ms, then reads at 22 ms = 322 ms
    const plan = zendeskPlan(
      { exportedTickets: 2000, commentTickets: 2000, commentsPerTicket: 5, ticketUpdates: 0 },
      { exportPage: 150, eventPage: 30, commentRead: 22, ticketUpdate: 40 },
    )
    expect(plan.floorSeconds).toBeCloseTo(0.322, 9)
  })

  it('takes the slower of reads and writes in the last round', () => {
    // 1 ticket page × 25 beside 1 event page × 30; reads (0) and 200 updates at 40 ms → 30 + 40 ms after a 60 s window
    const plan = zendeskPlan(
      { exportedTickets: 20, commentTickets: 20, commentsPerTicket: 1, ticketUpdates: 200 },
      { exportPage: 25, eventPage: 30, commentRead: 22, ticketUpdate: 40 },
    )
    expect(plan.floorSeconds).toBeCloseTo(60.07, 9)
  })

  it('sums every measured call’s service time', () => {
    expect(serviceSeconds(measured)).toBeCloseTo(2.243, 9)
  })

  it('charges the CPU time when the emulator measured it, the wall clock counting other processes’ time too', () => {
    // Ticket creates: 900 ms by the wall clock on a busy machine, 400 ms of CPU → 2000 × 0.2 = 400 ms; 12 ms of page CPU / 3 pages = 4 ms
    const busy = { 'create:Ticket': { requests: 10, ms: 900, cpuMs: 400, written: 2000 } }
    const ticketCreate = withAutotaskService(autotaskMinimum('soap', backfill), busy).calls.find((call) => call.what === 'create' && call.entity === 'Ticket')
    expect(ticketCreate?.serviceMs).toBe(400)
    expect(zendeskCallMs(20, { 'GET /api/v2/incremental/tickets/cursor': { requests: 3, ms: 30, cpuMs: 12 } }).exportPage).toBe(24)
    expect(serviceSeconds(busy)).toBe(0.4)
    expect(serviceSeconds(busy, 'wall')).toBe(0.9)
  })
})
