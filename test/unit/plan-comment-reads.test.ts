import { EVENTS_PER_PAGE, exportPages, planCommentReads, READS_PER_EXPORT_PAGE } from '../../server/src/sync/export-comments'

describe('choosing how a backfill reads comments', () => {
  it('reads a handful of tickets one by one: a single export page costs as much of the minute as 70 reads', () => {
    expect(planCommentReads(10, 50)).toEqual({ method: 'per-ticket', requests: 10 })
    expect(planCommentReads(READS_PER_EXPORT_PAGE, READS_PER_EXPORT_PAGE * 5)).toEqual({ method: 'per-ticket', requests: READS_PER_EXPORT_PAGE })
  })

  it('takes the export for many tickets: 2,000 tickets with 5 events each are 10 pages, not 2,000 reads', () => {
    expect(planCommentReads(2000, 10_000)).toEqual({ method: 'export', requests: 10 })
  })

  it('reads one by one when the window holds so many events that the pages cost more than the reads', () => {
    // 1,000 tickets inside 20 pages of other activity: 20 × 70 = 1,400 > 1,000 reads.
    expect(planCommentReads(1000, 20 * EVENTS_PER_PAGE)).toEqual({ method: 'per-ticket', requests: 1000 })
  })

  it('plans nothing for no tickets', () => {
    expect(planCommentReads(0, 0)).toEqual({ method: 'per-ticket', requests: 0 })
  })
})

describe('counting the pages of the ticket-events export', () => {
  it('adds the seconds that pages repeat at their ends', () => {
    // 250 events a second: a page moves about 875 on, so 10,000 events take 12 pages.
    expect(exportPages(10_000, 40)).toBe(12)
    // One event a second: each page repeats about one, so 10,000 need just over 10 pages.
    expect(exportPages(10_000, 10_000)).toBe(11)
    expect(exportPages(9_000, 9_000)).toBe(10)
  })

  it('counts a page a second when one second holds more than a page', () => {
    expect(exportPages(6000, 2)).toBe(2)
  })
})
