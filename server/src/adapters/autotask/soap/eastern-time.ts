import { DateTime } from 'luxon'

/**
 * Autotask SOAP sends and expects US Eastern wall time without an offset (EST/EDT,
 * https://autotask.net/help/developerhelp/Content/APIs/SOAP/General_Topics/Time_Date.htm);
 * PSA Link keeps UTC everywhere else.
 *
 * The fall-back hour (01:00–01:59 on the first Sunday of November) happens twice. We read such a
 * wall time as its FIRST pass (EDT, UTC-4): the earlier instant, so a watermark built on it can only
 * re-read, never skip (the engine keeps an overlap of at least an hour around the change anyway).
 * A wall time inside the spring-forward gap never comes from Autotask; should one appear it is
 * read as the instant an hour later, as a clock would show it.
 */
const zone = 'America/New_York'

export function toAutotaskDateTime(value: Date): string {
  const local = DateTime.fromJSDate(value, { zone })
  const whole = local.toFormat("yyyy-LL-dd'T'HH:mm:ss")
  return local.millisecond === 0 ? whole : `${whole}.${String(local.millisecond).padStart(3, '0')}`
}

/**
 * Offset-less wall times as Autotask writes them: date, hour and minute, optional seconds and
 * fraction. Anything else takes luxon's general path.
 */
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/
/** Hours whose offset is known; a long run repeats few of them (bounded: cleared when full). */
const HOUR_OFFSETS_KEPT = 4096
const hourOffsets = new Map<string, number>()

/**
 * Milliseconds to add to a wall time (read as if it were UTC) of the hour `prefix`
 * (`yyyy-mm-ddThh`) to get the instant. Every Eastern change happens on the hour, and within one
 * hour the rules below agree (the repeated hour is EDT throughout, the skipped one EST), so one
 * luxon conversion per hour serves every timestamp in it: a query of 500 tickets carries a few
 * thousand datetimes, and luxon's zone arithmetic cost a fifth of a backfill's CPU.
 */
function hourOffsetMs(prefix: string): number {
  let offset = hourOffsets.get(prefix)
  if (offset === undefined) {
    offset = viaLuxon(`${prefix}:00:00`).getTime() - Date.parse(`${prefix}:00:00Z`)
    if (hourOffsets.size >= HOUR_OFFSETS_KEPT) hourOffsets.clear()
    hourOffsets.set(prefix, offset)
  }
  return offset
}

export function fromAutotaskDateTime(text: string): Date {
  const trimmed = text.trim()
  const wall = WALL_TIME.exec(trimmed)
  if (!wall) return viaLuxon(trimmed)
  const [, year, month, day, hour, minute, second = '0', fraction = ''] = wall
  const asUtc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.slice(0, 3).padEnd(3, '0')),
  )
  // Not a real date (month 13, 30 February, hour 24…): luxon's path says so as it always did.
  const check = new Date(asUtc)
  if (check.getUTCDate() !== Number(day) || check.getUTCHours() !== Number(hour) || Number(minute) > 59 || Number(second) > 59) return viaLuxon(trimmed)
  return new Date(asUtc + hourOffsetMs(`${year}-${month}-${day}T${hour}`))
}

function viaLuxon(text: string): Date {
  const iso = text.replace(' ', 'T')
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const withOffset = DateTime.fromISO(iso, { setZone: true })
    if (!withOffset.isValid) throw new RangeError(`not an Autotask datetime: ${text}`)
    return withOffset.toJSDate()
  }
  const eastern = DateTime.fromISO(iso, { zone })
  if (!eastern.isValid) throw new RangeError(`not an Autotask datetime: ${text}`)
  // Luxon resolves the repeated hour to its second pass (EST); prefer the first (EDT) when it exists.
  const firstPass = eastern.minus({ hours: 1 })
  const sameWallTime = firstPass.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS") === eastern.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS")
  return (sameWallTime ? firstPass : eastern).toJSDate()
}
