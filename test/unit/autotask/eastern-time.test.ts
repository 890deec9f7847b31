import { DateTime } from 'luxon'
import { seededRandom, seedFromEnvironment } from '../../helpers/seeded-random'
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

describe('Autotask Eastern time reading, one zone conversion per hour', () => {
  /** Luxon's general path, the reading every timestamp went through before the per-hour offsets. */
  function referenceReading(text: string): number {
    const iso = text.trim().replace(' ', 'T')
    const eastern = DateTime.fromISO(iso, { zone: 'America/New_York' })
    if (!eastern.isValid) return Number.NaN
    const firstPass = eastern.minus({ hours: 1 })
    const same = firstPass.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS") === eastern.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS")
    return (same ? firstPass : eastern).toMillis()
  }
  const reading = (text: string) => {
    try {
      return fromAutotaskDateTime(text).getTime()
    } catch {
      return Number.NaN
    }
  }

  it('reads every wall time as luxon does across years of clock changes when Autotask sends thousands', () => {
    const random = seededRandom(seedFromEnvironment('eastern-time')).next
    const pad = (value: number, width = 2) => String(value).padStart(width, '0')
    const texts: string[] = []
    // Every minute of the four change days of 2025 and 2038, then random times from 1995 to 2045.
    for (const day of ['2025-03-09', '2025-11-02', '2038-03-14', '2038-11-07']) {
      for (let minute = 0; minute < 24 * 60; minute += 1) texts.push(`${day}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad(minute % 60)}`)
    }
    for (let index = 0; index < 20_000; index += 1) {
      const year = 1995 + Math.floor(random() * 50)
      const fraction = random() < 0.5 ? '' : `.${String(Math.floor(random() * 1e9)).slice(0, 1 + Math.floor(random() * 7))}`
      const separator = random() < 0.1 ? ' ' : 'T'
      texts.push(
        `${year}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}${separator}${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}${fraction}`,
      )
    }
    const differing = texts.filter((text) => reading(text) !== referenceReading(text))
    expect(differing).toEqual([])
  })

  it('refuses what is not a date as before when Autotask sends one', () => {
    for (const text of ['2025-02-30T10:00:00', '2025-13-01T10:00:00', '2025-01-01T10:60:00', 'yesterday']) {
      expect(() => fromAutotaskDateTime(text), text).toThrow(RangeError)
    }
  })
})
