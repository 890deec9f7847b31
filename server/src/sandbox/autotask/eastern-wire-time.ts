import { DateTime } from 'luxon'

/**
 * Datetimes on Autotask's SOAP wire: US Eastern wall time without an offset, trailing zeros of the
 * milliseconds dropped (`…45.100` → `…45.1`). Kept apart from the client's own converter on purpose,
 * so the contract tests compare two independent implementations.
 */
const zone = 'America/New_York'

export class WireTimeError extends Error {}

export function formatEasternWireTime(value: Date): string {
  const local = DateTime.fromJSDate(value, { zone })
  const base = local.toFormat("yyyy-LL-dd'T'HH:mm:ss")
  const millis = local.millisecond
  if (millis === 0) return base
  return `${base}.${String(millis).padStart(3, '0').replace(/0+$/, '')}`
}

/**
 * Reads a datetime a client sent. Without an offset it is Eastern wall time; a wall time that does
 * not exist (the spring-forward gap) is rejected as Autotask does. In the repeated fall-back hour
 * the first (daylight-saving) occurrence is taken.
 */
export function parseEasternWireTime(text: string): Date {
  const trimmed = text.trim()
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed)
  const iso = trimmed.replace(' ', 'T')
  const parsed = hasOffset ? DateTime.fromISO(iso, { setZone: true }) : DateTime.fromISO(iso, { zone })
  if (!parsed.isValid) throw new WireTimeError(`The value '${text}' is not a valid datetime.`)
  if (!hasOffset) {
    const wall = DateTime.fromISO(iso, { zone: 'utc' })
    const roundTrip = parsed.setZone(zone)
    if (roundTrip.hour !== wall.hour || roundTrip.minute !== wall.minute || roundTrip.day !== wall.day) {
      throw new WireTimeError(`The supplied DateTime represents an invalid time. '${text}' does not exist in the Eastern time zone.`)
    }
  }
  return parsed.toJSDate()
}
