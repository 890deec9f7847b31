import { runCycle } from '../../../server/src/sync/run-cycle'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17, a cycle's requests: a technician's note costs no read of its ticket by id when the
// ticket scan already read that ticket, behind a page of PSA Link's own writes (a backfill) or
// left out of it because PSA Link wrote to the ticket after the note.
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
  // One scan page (Autotask itself leaves out the 500 tickets PSA Link touched last) and nothing read by id.
  expect(stack.sandbox.autotask.counters().byOperationAndEntity['query:Ticket']).toBe(1)
})

it('reads no ticket by id for a technician’s note when PSA Link pushed a field to that ticket after the note', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1003', subject: 'Before the rename' })
  await cycle(stack)
  const autotaskId = (await linkOf(stack, ticket.id))!.autotask_ticket_id
  await cycle(stack)
  stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Onsite', description: 'Swapped the fan.' })
  stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'After the rename' }, agentOf(stack).id)

  // Reads by id once the change scan has begun (the Zendesk side's own read of the ticket comes before it).
  const readsInScan: number[][] = []
  const context: SyncContext = await stack.app.syncContexts.forAccount(stack.accountId)
  let scanning = false
  context.connections = context.connections.map((entry) => ({
    ...entry,
    gateway: {
      ...entry.gateway,
      scanTicketsChangedSince: (since, until, onOwnWrite) => {
        scanning = true
        return entry.gateway.scanTicketsChangedSince(since, until, onOwnWrite)
      },
      getTickets: async (ids) => {
        if (scanning) readsInScan.push(ids)
        return entry.gateway.getTickets(ids)
      },
    },
  }))
  await runCycle(context, { intervalSeconds: 300 })

  // PSA Link's title write is the ticket's last activity: the scan left it out as its own write.
  expect(stack.sandbox.autotask.getTicket(autotaskId)!.fields.Title).toBe('After the rename')
  expect(zendeskCommentsOf(stack, ticket.id).some((comment) => comment.body.includes('Swapped the fan.'))).toBe(true)
  expect(readsInScan).toEqual([])
})
