import type { EmulatorAudit } from './data'
import { unixSeconds } from './presenters'

/**
 * One page of the time-based ticket-events export, as Zendesk pages it (SOURCES.md, "Incremental
 * exports"): events from `start_time` (a second, inclusive) in time order, up to `perPage`, but a
 * page never ends inside a second: it grows to take every event of its last second, so a client
 * that starts the next page at `end_time` (that second again) sees those events twice, never
 * half of them. Events of the last minute (after `cutoffMs`) are held back.
 */
export interface TicketEventsPage {
  audits: EmulatorAudit[]
  /** The second of the page's last event (start_time when the page is empty). */
  endTime: number
  endOfStream: boolean
}

// The account's audits in export order, kept between requests: a 100,000-ticket history has
// half a million of them, too many to sort for every page. Audits are only ever appended.
const sortedCache = new WeakMap<readonly EmulatorAudit[], { length: number; sorted: EmulatorAudit[] }>()

function inExportOrder(audits: readonly EmulatorAudit[]): EmulatorAudit[] {
  const cached = sortedCache.get(audits)
  if (cached && cached.length === audits.length) return cached.sorted
  const sorted = [...audits].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
  sortedCache.set(audits, { length: audits.length, sorted })
  return sorted
}

/** The index of the first audit at or after `ms` (binary search over the sorted audits). */
function firstAtOrAfter(sorted: EmulatorAudit[], ms: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]!.createdAt.getTime() < ms) low = middle + 1
    else high = middle
  }
  return low
}

export function pageTicketEvents(audits: readonly EmulatorAudit[], startTime: number, cutoffMs: number, perPage: number): TicketEventsPage {
  const sorted = inExportOrder(audits)
  const visible = (index: number) => index < sorted.length && sorted[index]!.createdAt.getTime() <= cutoffMs
  const first = firstAtOrAfter(sorted, startTime * 1000)
  let end = first
  while (end - first < perPage && visible(end)) end += 1
  const last = sorted[end - 1]
  if (end === first || !last) return { audits: [], endTime: startTime, endOfStream: true }
  const lastSecond = unixSeconds(last.createdAt)
  while (visible(end) && unixSeconds(sorted[end]!.createdAt) === lastSecond) end += 1
  const page = sorted.slice(first, end)
  // A page that is all one second, that of start_time, would be answered again for its end_time
  // for ever: once that whole second is past the cutoff, end_time moves past it (guess: nothing
  // seen says how Zendesk avoids it).
  const endTime = lastSecond === startTime && (lastSecond + 1) * 1000 <= cutoffMs ? lastSecond + 1 : lastSecond
  return { audits: page, endTime, endOfStream: !visible(end) }
}
