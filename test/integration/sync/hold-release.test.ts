import { ticketsFreedTopic } from '../../../server/src/jobs/ticket-release-signals'
import type { TicketStateUpdate } from '../../../server/src/sync/ports/ticket-state-store'
import { openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// A hold's last write, its tickets' states, lets the hold go in the same statement (one statement
// less before a Sync now answers), and only the leases of the worker that writes.

let stack: TestStack

beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => stack?.close())

const linked = (ticketId: number): TicketStateUpdate & { ticketId: number } => ({
  ticketId,
  state: 'linked',
  message: null,
  clusterId: 'CL-1001',
  retryAt: null,
  complete: true,
})

describe('letting a hold go with its states', () => {
  it('frees the ticket and signals its release when the state write names the holder', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Released with its state' })
    const store = stack.app.syncStore
    expect(await store.claimTickets(stack.accountId, [ticket.id], 'worker-a', 120)).toEqual([ticket.id])
    let signalled = 0
    const off = stack.app.signals.on(ticketsFreedTopic(stack.accountId), () => (signalled += 1))
    try {
      await store.setTicketStates(stack.accountId, [linked(ticket.id)], 'worker-a')
    } finally {
      off()
    }
    expect(await store.isTicketFree(stack.accountId, ticket.id)).toBe(true)
    // In this process the signal is delivered before the write returns: a waiting Sync now wakes at once.
    expect(signalled).toBe(1)
  })

  it('keeps the lease of another worker that took the ticket over when a late holder writes its states', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Taken over' })
    const store = stack.app.syncStore
    // Worker A's lease expired; worker B claimed the ticket since.
    expect(await store.claimTickets(stack.accountId, [ticket.id], 'worker-a', 0)).toEqual([ticket.id])
    await stack.database.pool.query(`UPDATE ticket_sync_state SET lease_expires_at = now() - interval '1 second' WHERE zendesk_ticket_id = $1`, [ticket.id])
    expect(await store.claimTickets(stack.accountId, [ticket.id], 'worker-b', 120)).toEqual([ticket.id])
    await store.setTicketStates(stack.accountId, [linked(ticket.id)], 'worker-a')
    expect(await store.isTicketFree(stack.accountId, ticket.id)).toBe(false)
    expect(await store.holdsLeases(stack.accountId, [ticket.id], 'worker-b', 0)).toBe(true)
    await store.releaseTickets(stack.accountId, [ticket.id], 'worker-b')
  })
})
