import { fromAutotaskDateTime, toAutotaskDateTime } from '../../../server/src/adapters/autotask/soap/eastern-time'
import { formatEasternWireTime, parseEasternWireTime } from '../../../server/sandbox/src/autotask/eastern-wire-time'

describe('Autotask Eastern time conversion', () => {
  it('writes UTC instants as Eastern wall time around spring forward when converting to Autotask', () => {
    // 2025-03-09 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(toAutotaskDateTime(new Date('2025-03-09T06:59:59Z'))).toBe('2025-03-09T01:59:59')
    expect(toAutotaskDateTime(new Date('2025-03-09T07:00:00Z'))).toBe('2025-03-09T03:00:00')
    expect(toAutotaskDateTime(new Date('2025-07-01T12:00:00.250Z'))).toBe('2025-07-01T08:00:00.250')
  })

  it('reads Eastern wall time back to the same instants around spring forward when converting from Autotask', () => {
    expect(fromAutotaskDateTime('2025-03-09T01:59:59').toISOString()).toBe('2025-03-09T06:59:59.000Z')
    expect(fromAutotaskDateTime('2025-03-09T03:00:00').toISOString()).toBe('2025-03-09T07:00:00.000Z')
    expect(fromAutotaskDateTime('2025-01-15T10:00:00.5').toISOString()).toBe('2025-01-15T15:00:00.500Z')
  })

  it('writes both passes of the repeated hour with the same wall time when the clocks fall back', () => {
    // 2025-11-02 02:00 EDT falls back to 01:00 EST: 05:30Z and 06:30Z both read 01:30.
    expect(toAutotaskDateTime(new Date('2025-11-02T05:30:00Z'))).toBe('2025-11-02T01:30:00')
    expect(toAutotaskDateTime(new Date('2025-11-02T06:30:00Z'))).toBe('2025-11-02T01:30:00')
    expect(toAutotaskDateTime(new Date('2025-11-02T07:30:00Z'))).toBe('2025-11-02T02:30:00')
  })

  it('reads the repeated hour as its first (EDT) pass when the clocks fall back', () => {
    expect(fromAutotaskDateTime('2025-11-02T01:30:00').toISOString()).toBe('2025-11-02T05:30:00.000Z')
    expect(fromAutotaskDateTime('2025-11-02T00:59:00').toISOString()).toBe('2025-11-02T04:59:00.000Z')
    expect(fromAutotaskDateTime('2025-11-02T02:00:00').toISOString()).toBe('2025-11-02T07:00:00.000Z')
  })

  it('honours an explicit offset when Autotask sends one', () => {
    expect(fromAutotaskDateTime('2025-06-01T09:20:00+01:00').toISOString()).toBe('2025-06-01T08:20:00.000Z')
  })

  it('round-trips every minute across both changes when the client and the emulator talk', () => {
    for (const start of ['2025-03-09T05:00:00Z', '2025-11-02T04:00:00Z']) {
      for (let minute = 0; minute < 240; minute += 1) {
        const instant = new Date(new Date(start).getTime() + minute * 60_000)
        const emulatorReading = parseEasternWireTime(toAutotaskDateTime(instant))
        const clientReading = fromAutotaskDateTime(formatEasternWireTime(instant))
        // Only the second pass of the repeated hour cannot survive a trip through offset-less text.
        const repeated = instant.getTime() >= Date.parse('2025-11-02T06:00:00Z') && instant.getTime() < Date.parse('2025-11-02T07:00:00Z')
        const expected = repeated ? instant.getTime() - 3_600_000 : instant.getTime()
        expect(emulatorReading.getTime()).toBe(expected)
        expect(clientReading.getTime()).toBe(expected)
      }
    }
  })

  it('rejects a wall time in the spring-forward gap when the emulator reads it', () => {
    expect(() => parseEasternWireTime('2025-03-09T02:30:00')).toThrow(/invalid time/)
  })

  it('drops trailing zeros of the milliseconds when the emulator writes a datetime', () => {
    expect(formatEasternWireTime(new Date('2025-01-15T15:00:45.100Z'))).toBe('2025-01-15T10:00:45.1')
    expect(formatEasternWireTime(new Date('2025-01-15T15:00:45.000Z'))).toBe('2025-01-15T10:00:45')
  })
})
