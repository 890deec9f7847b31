import type { TicketStateResponse } from '@psa-link/shared'
import { formatClockTime, formatRelative, t } from '../../lib/i18n'
import { nextRetry, stateWords } from './state-words'

/**
 * What Sync now says once its sync has ended, read from the ticket's state after it: never "synced"
 * beside a failure, a pause or a ticket that is not synced at all.
 */
export function syncResult(before: TicketStateResponse | null, after: TicketStateResponse, now: number = Date.now()): string {
  const checked = after.checkedAt ?? after.lastSyncedAt
  const time = checked ? formatRelative(checked, now) : t('time.just_now')
  switch (after.state) {
    case 'linked':
      if (before && !before.autotask && after.autotask) return t('sync.result.linked_now', { number: after.autotask.ticketNumber })
      return t('sync.result.up_to_date', { time })
    case 'throttled':
      return t('sync.result.throttled', { count: after.waitingNotes })
    case 'error': {
      const retry = nextRetry(after)
      const remote = after.problems.find((problem) => problem.remoteMessage)?.remoteMessage ?? null
      const head = retry ? t('sync.result.failed_retry', { time: formatClockTime(retry, now) }) : t('sync.result.failed_no_retry')
      return remote ? `${head} ${t('sync.result.autotask_said', { message: remote })}` : head
    }
    case 'paused':
      return t('sync.result.paused')
    case 'pending':
      return t('sync.result.pending')
    case 'unrouted':
      return t('sync.result.unrouted', { clusterId: after.clusterId ?? '', time })
    case 'ambiguous':
      return t('sync.result.ambiguous', { clusterId: after.clusterId ?? '', count: after.candidates.length })
    case 'broken':
      return t('sync.result.broken')
    case 'closed':
      return t('sync.result.closed')
    case 'not_eligible':
      return t('sync.result.not_synced', { title: stateWords(after, { canLink: false }, now)?.title ?? '' })
  }
}

/** Whether a sync can change anything for a ticket in this state (else Sync now is not offered). */
export function syncCanHelp(ticket: TicketStateResponse): boolean {
  return ticket.state === 'linked' || ticket.state === 'pending' || ticket.state === 'error' || ticket.state === 'throttled' || ticket.state === 'unrouted'
}
