import { DateTime } from 'luxon'
import { LAST_ACTIVITY_OVERLAP_SECONDS } from '../core/last-activity-overlap'

/** More than the hour that happens twice when US Eastern time falls back. */
const EASTERN_CLOCK_CHANGE_OVERLAP_SECONDS = 65 * 60
const EASTERN = 'America/New_York'

/**
 * The overlap of a SOAP scan at `at`: SOAP speaks US Eastern wall time without an offset
 * (eastern-time.ts), so around a daylight-saving change (in autumn one hour happens twice) the scan
 * re-reads more than that hour (sync/README.md R14). REST speaks UTC and needs only the short overlap.
 */
export function easternScanOverlapSeconds(at: Date): number {
  const before = DateTime.fromJSDate(new Date(at.getTime() - 3 * 3_600_000)).setZone(EASTERN).offset
  const after = DateTime.fromJSDate(new Date(at.getTime() + 3 * 3_600_000)).setZone(EASTERN).offset
  return before === after ? LAST_ACTIVITY_OVERLAP_SECONDS : EASTERN_CLOCK_CHANGE_OVERLAP_SECONDS
}
