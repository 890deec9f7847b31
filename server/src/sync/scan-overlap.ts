import { DateTime } from 'luxon'

const NORMAL_OVERLAP_SECONDS = 10 * 60
const DST_OVERLAP_SECONDS = 65 * 60
const EASTERN = 'America/New_York'

/**
 * How far back an Autotask change scan re-reads behind its watermark. LastActivityDate is not
 * exact, so a short overlap always; around a US Eastern daylight-saving change (Autotask SOAP
 * speaks Eastern time, and in autumn one hour happens twice) more than that hour (sync/README.md
 * R14). Re-reading is harmless, every write being idempotent, but it costs requests.
 */
export function scanOverlapSeconds(at: Date): number {
  const before = DateTime.fromJSDate(new Date(at.getTime() - 3 * 3_600_000)).setZone(EASTERN).offset
  const after = DateTime.fromJSDate(new Date(at.getTime() + 3 * 3_600_000)).setZone(EASTERN).offset
  return before === after ? NORMAL_OVERLAP_SECONDS : DST_OVERLAP_SECONDS
}
