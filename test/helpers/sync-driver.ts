import { runCycle } from '../../server/src/sync/run-cycle'
import { ticketsOrDeleted } from '../../server/src/sync/read-zendesk-tickets'
import { syncTickets } from '../../server/src/sync/sync-tickets'
import type { TicketOutcome } from '../../server/src/sync/ticket-work'
import type { TestStack } from './test-stack'

/** Runs one cycle of the sandbox tenant in the test's own flow (no queue), returning the run's request counts. */
export async function cycle(stack: TestStack): Promise<{ autotask: number; zendesk: number }> {
  const { syncContexts: contexts } = stack.app
  const context = await contexts.forAccount(stack.accountId)
  const { requests } = await contexts.measure(() => runCycle(context, { intervalSeconds: 300 }))
  return requests
}

/** Syncs one ticket in full, as Sync now and webhooks do, and returns where it ended up. */
export async function syncOne(stack: TestStack, ticketId: number): Promise<TicketOutcome | undefined> {
  const context = await stack.app.syncContexts.forAccount(stack.accountId)
  const tickets = await ticketsOrDeleted(context, [ticketId])
  const outcomes = await syncTickets(context, { tickets, full: true, nextCycleAt: new Date(Date.now() + 300_000) })
  return outcomes.get(ticketId)
}

/** The link row of a Zendesk ticket, or undefined. */
export async function linkOf(stack: TestStack, ticketId: number) {
  const { rows } = await stack.database.pool.query('SELECT * FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2', [
    stack.accountId,
    ticketId,
  ])
  return rows[0] as { autotask_ticket_id: number; autotask_ticket_number: string; state: string; synced: Record<string, unknown> } | undefined
}

export async function stateOf(stack: TestStack, ticketId: number) {
  const { rows } = await stack.database.pool.query(
    'SELECT state, message, dirty_since, next_attempt_at, waiting_notes, candidates FROM ticket_sync_state WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2',
    [stack.accountId, ticketId],
  )
  return rows[0] as { state: string; message: string | null; dirty_since: Date | null; waiting_notes: number; candidates: unknown[] } | undefined
}
