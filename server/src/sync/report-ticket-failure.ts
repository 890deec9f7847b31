import { isOutcomeUnknown } from '../errors/integration-error'
import { codeOf, messageOf, remoteMessageOf, retryAt } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'

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
 * retried (never, when retrying cannot help), and the ticket's outcome says the same. A write whose
 * answer was lost is neither refused nor done: its pending row stays, and the retry looks the item
 * up by its natural key before writing it again.
 */
export async function reportTicketFailure(
  context: SyncContext<SyncBookkeepingStore>,
  connection: ConnectionContext,
  work: TicketWork,
  error: unknown,
  wording: FailureWording,
): Promise<void> {
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
  const said = remoteMessageOf(error) ?? messageOf(error)
  const message = isOutcomeUnknown(error)
    ? `${wording.whatFailed} without an answer (${said}); it is looked up before it is written again.`
    : `${wording.refusal}: ${said}`
  settle(work, { state: 'error', message, retryAt: when })
}
