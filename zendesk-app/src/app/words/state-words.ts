import type { TicketStateResponse } from '@psa-link/shared'
import { formatClockTime, t } from '../../lib/i18n'

export type Tone = 'info' | 'warning' | 'error'

/** What the sidebar says about a ticket that is not simply linked: one title, why, and who acts. */
export interface StateWords {
  tone: Tone
  title: string
  body: string | null
  /** One line naming who acts and how (never a feature that does not exist). */
  todo: string
}

export interface LinkAbility {
  /** This agent may link or unlink by hand from the sidebar (the backend checks again). */
  canLink: boolean
}

/** When PSA Link tries again by itself: a problem's retry, else the ticket's next attempt. */
export function nextRetry(ticket: TicketStateResponse): string | null {
  return ticket.problems.find((problem) => problem.nextRetryAt !== null)?.nextRetryAt ?? ticket.nextAttemptAt
}

function notEligibleWords(ticket: TicketStateResponse): StateWords {
  const clusterId = ticket.clusterId ?? ''
  switch (ticket.reason) {
    case 'no_cluster_id':
      return {
        tone: 'info',
        title: t('state.not_eligible.no_cluster_id.title'),
        body: t('state.not_eligible.no_cluster_id.body'),
        todo: t('state.not_eligible.no_cluster_id.todo'),
      }
    case 'closed_when_eligible':
      return {
        tone: 'info',
        title: t('state.not_eligible.closed_when_eligible.title'),
        body: t('state.not_eligible.closed_when_eligible.body', { clusterId }),
        todo: t('state.not_eligible.closed_when_eligible.todo'),
      }
    case 'deleted':
      return {
        tone: 'info',
        title: t('state.not_eligible.deleted.title'),
        body: t('state.not_eligible.deleted.body'),
        todo: t('state.not_eligible.deleted.todo'),
      }
    case 'no_ready_connection':
      return {
        tone: 'warning',
        title: t('state.not_eligible.no_ready_connection.title'),
        body: t('state.not_eligible.no_ready_connection.body'),
        todo: t('state.not_eligible.no_ready_connection.todo'),
      }
    case 'not_configured':
      return {
        tone: 'warning',
        title: t('state.not_eligible.not_configured.title'),
        body: t('state.not_eligible.not_configured.body'),
        todo: t('state.not_eligible.not_configured.todo'),
      }
    default:
      // An engine without reasons (before migration 013) said "no Cluster ID" only when there was none.
      if (ticket.clusterId === null) {
        return {
          tone: 'info',
          title: t('state.not_eligible.no_cluster_id.title'),
          body: t('state.not_eligible.no_cluster_id.body'),
          todo: t('state.not_eligible.no_cluster_id.todo'),
        }
      }
      return { tone: 'info', title: t('state.not_eligible.other.title'), body: t('state.not_eligible.other.body'), todo: t('state.not_eligible.other.todo') }
  }
}

function closedBody(ticket: TicketStateResponse): string {
  switch (ticket.reason) {
    case 'merged':
      return t('state.closed.merged')
    case 'autotask_merged':
      return t('state.closed.autotask_merged')
    case 'deleted':
      return t('state.closed.deleted')
    case 'unlinked':
      return t('state.closed.unlinked')
    default:
      return t('state.closed.other')
  }
}

/** The words for every state but `linked` (server/src/sync/README.md R19); null when linked. */
export function stateWords(ticket: TicketStateResponse, ability: LinkAbility, now: number = Date.now()): StateWords | null {
  const clusterId = ticket.clusterId ?? ''
  switch (ticket.state) {
    case 'linked':
      return null
    case 'pending':
      return { tone: 'info', title: t('state.pending.title'), body: t('state.pending.body'), todo: t('state.pending.todo') }
    case 'unrouted':
      return { tone: 'warning', title: t('state.unrouted.title', { clusterId }), body: t('state.unrouted.body', { clusterId }), todo: t('state.unrouted.todo') }
    case 'ambiguous':
      return {
        tone: 'warning',
        title: t('state.ambiguous.title', { clusterId, count: ticket.candidates.length }),
        body: t('state.ambiguous.body'),
        todo: ability.canLink ? t('state.ambiguous.todo_link', { clusterId }) : t('state.ambiguous.todo', { clusterId }),
      }
    case 'not_eligible':
      return notEligibleWords(ticket)
    case 'error': {
      const retry = nextRetry(ticket)
      return {
        tone: 'error',
        title: t('state.error.title'),
        body: retry ? t('state.error.next_retry', { time: formatClockTime(retry, now) }) : t('state.error.no_retry'),
        todo: retry ? t('state.error.todo') : t('state.error.todo_no_retry'),
      }
    }
    case 'paused':
      return {
        tone: 'warning',
        title: t('state.paused.title'),
        body: ticket.autotask ? t('state.paused.body', { connection: ticket.autotask.connectionName }) : t('state.paused.body_unnamed'),
        todo: t('state.paused.todo'),
      }
    case 'throttled':
      return {
        tone: 'warning',
        title: t('state.throttled.title'),
        body: ticket.waitingNotes === 1 ? t('state.throttled.body_one') : t('state.throttled.body_other', { count: ticket.waitingNotes }),
        todo: t('state.throttled.todo'),
      }
    case 'broken':
      return {
        tone: 'error',
        title: t('state.broken.title'),
        body: ticket.autotask ? t('state.broken.body', { number: ticket.autotask.ticketNumber }) : t('state.broken.body_unnamed'),
        todo: ability.canLink ? t('state.broken.todo_link') : ticket.manualLinkPolicy === 'off' ? t('state.broken.todo_off') : t('state.broken.todo_admin'),
      }
    case 'closed':
      return {
        tone: 'info',
        title: t('state.closed.title'),
        body: closedBody(ticket),
        todo: ability.canLink ? t('state.closed.todo_link') : t('state.closed.todo'),
      }
  }
}
