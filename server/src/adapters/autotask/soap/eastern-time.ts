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

export function fromAutotaskDateTime(text: string): Date {
  const trimmed = text.trim()
  const iso = trimmed.replace(' ', 'T')
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
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
