import { scanOverlapSeconds } from '../../../server/src/sync/scan-overlap'

describe('scanOverlapSeconds', () => {
  it('re-reads ten minutes on an ordinary day', () => {
    expect(scanOverlapSeconds(new Date('2026-07-15T12:00:00Z'))).toBe(600)
  })

  it('re-reads more than the repeated hour around the autumn change to standard time', () => {
    // 2026-11-01 02:00 EDT → 01:00 EST happens at 06:00 UTC.
    expect(scanOverlapSeconds(new Date('2026-11-01T06:30:00Z'))).toBeGreaterThan(3600)
  })

  it('re-reads more than an hour around the spring change to daylight time', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT happens at 07:00 UTC.
    expect(scanOverlapSeconds(new Date('2026-03-08T08:00:00Z'))).toBeGreaterThan(3600)
  })
})
