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
  const iso = trimmed.replace(' ', 'T')
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
    const withOffset = DateTime.fromISO(iso, { setZone: true })
    if (!withOffset.isValid) throw new WireTimeError(`The value '${text}' is not a valid datetime.`)
    return withOffset.toJSDate()
  }
  const wall = DateTime.fromISO(iso, { zone: 'utc' })
  if (!wall.isValid) throw new WireTimeError(`The value '${text}' is not a valid datetime.`)
  // Eastern is UTC-4 in summer and UTC-5 in winter: the first offset whose instant shows the same
  // wall time wins (EDT first, so the repeated hour reads as its first pass); none means the gap.
  for (const hours of [4, 5]) {
    const instant = wall.plus({ hours })
    const shown = instant.setZone(zone)
    if (shown.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS") === wall.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS")) return instant.toJSDate()
  }
  throw new WireTimeError(`The supplied DateTime represents an invalid time. '${text}' does not exist in the Eastern time zone.`)
}
