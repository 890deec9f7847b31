import { cycle, linkOf } from '../../helpers/sync-driver'
import { openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17, a steady cycle's requests: right after PSA Link wrote a page's worth of tickets (a
// backfill), a technician's note on a ticket past the ticket scan's first page costs no read by id.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => stack?.close())

async function gateway() {
  return (await stack.app.syncContexts.forAccount(stack.accountId)).connections[0]!.gateway
}

it('reads a noted ticket from the ticket scan, not by id, when PSA Link’s own writes fill the scan’s first page', async () => {
  const first = openTicket(stack, { clusterId: 'CL-1001', subject: 'Template' })
  await cycle(stack)
  const template = (await (await gateway()).getTickets([(await linkOf(stack, first.id))!.autotask_ticket_id]))[0]!
  // PSA Link's own creates (as a backfill makes them), all older than the ticket noted below.
  const created = await (
    await gateway()
  ).createTickets(
    Array.from({ length: 500 }, (_, index) => ({
      externalId: `bench-filler-${index}`,
      title: `Filler ${index}`,
      description: 'Created by PSA Link.',
      accountId: template.accountId,
      installedProductId: template.installedProductId,
      status: template.status,
      priority: template.priority,
      queueId: template.queueId,
      sourceId: null,
      ticketTypeId: null,
      dueDateTime: new Date(Date.now() + 86_400_000),
    })),
  )
  expect(created.filter((result) => result.ok)).toHaveLength(500)
  const noted = openTicket(stack, { clusterId: 'CL-1002', subject: 'Noted by a technician' })
  await cycle(stack)
  const autotaskId = (await linkOf(stack, noted.id))!.autotask_ticket_id
  await cycle(stack)

  stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Onsite', description: 'Replaced the PSU.' })
  stack.sandbox.autotask.resetCounters()
  await cycle(stack)

  expect(zendeskCommentsOf(stack, noted.id).some((comment) => comment.body.includes('Replaced the PSU.'))).toBe(true)
  // Two scan pages (500 own creates, then the rest) and nothing read by id.
  expect(stack.sandbox.autotask.counters().byOperationAndEntity['query:Ticket']).toBe(2)
})
