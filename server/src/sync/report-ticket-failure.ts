import { codeOf, messageOf, remoteMessageOf, retryAt } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'

export interface FailureWording {
  /** The problem's code when the error carries none of its own. */
  fallbackCode: string
  /** For the error inbox, e.g. "Creating the Autotask ticket failed". */
  whatFailed: string
  /** For the sidebar, e.g. "Autotask refused the ticket". */
  refusal: string
}

/**
 * One write for one ticket failed: the error inbox gets the remote's own words and when it will be
 * retried (never, when retrying cannot help), and the ticket's outcome says the same.
 */
export async function reportTicketFailure(context: SyncContext, connection: ConnectionContext, work: TicketWork, error: unknown, wording: FailureWording): Promise<void> {
  const when = retryAt(context.now(), error)
  await context.store.recordProblem({
    zendeskAccountId: context.account.id,
    connectionId: connection.id,
    zendeskTicketId: work.ticket.id,
    autotaskTicketId: work.autotaskTicket?.id ?? null,
    code: codeOf(error, wording.fallbackCode),
    message: `${wording.whatFailed}: ${messageOf(error)}`,
    remoteMessage: remoteMessageOf(error),
    retryAt: when,
  })
  context.counts.failed += 1
  settle(work, { state: 'error', message: `${wording.refusal}: ${remoteMessageOf(error) ?? messageOf(error)}`, retryAt: when })
}
