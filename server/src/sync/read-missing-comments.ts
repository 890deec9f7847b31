import { eachAtOnce } from './each-at-once'
import type { ZendeskGateway, ZendeskTicket } from './ports/zendesk-gateway'
import type { TicketWork } from './ticket-work'

/**
 * Zendesk comment reads a batch keeps in flight. One at a time, a backfill is bound by latency
 * (150–300 ms a read against Zendesk), not by the account's rate limit (700 a minute on
 * Enterprise, shared with agents' apps and every other integration), so a few at once; the client
 * still waits out any 429 with Zendesk's Retry-After.
 */
export const COMMENT_READS_AT_ONCE = 4

/**
 * Reads the comments of every ticket in `works` that has none yet, a few at a time. The first
 * failure stops further reads and is thrown, as the one-by-one loop it replaces did.
 */
export async function readMissingComments(
  zendesk: Pick<ZendeskGateway, 'listComments'>,
  works: readonly (Pick<TicketWork, 'comments'> & { ticket: Pick<ZendeskTicket, 'id'> })[],
): Promise<void> {
  await eachAtOnce(
    works.filter((work) => !work.comments),
    COMMENT_READS_AT_ONCE,
    async (work) => {
      work.comments = await zendesk.listComments(work.ticket.id)
    },
  )
}
