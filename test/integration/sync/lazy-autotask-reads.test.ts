import { runCycle } from '../../../server/src/sync/run-cycle'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import type { ZendeskGateway } from '../../../server/src/sync/ports/zendesk-gateway'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17: the cycle's export brings back every ticket PSA Link itself commented on. Those have
// nothing to do on Autotask and are not read there; tickets with Autotask work are synced first,
// so their batched reads and writes are made once however the export spreads them over holds.
const CLUSTERS = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006']
const transport = process.env.TEST_AUTOTASK_TRANSPORT ?? 'rest'

let stack: TestStack
let technician: number

beforeAll(async () => {
  stack = await startScenario()
  technician = stack.sandbox.autotask.seeded()!.technicianIds[0]!
})
afterAll(async () => {
  await stack?.close()
})

async function linkedTickets(count: number, label: string): Promise<{ tickets: number[]; autotaskIds: number[] }> {
  const tickets = Array.from(
    { length: count },
    (_, index) => openTicket(stack, { clusterId: CLUSTERS[index % CLUSTERS.length]!, subject: `${label} ${index}`, status: 'open' }).id,
  )
  await cycle(stack)
  const autotaskIds: number[] = []
  for (const ticket of tickets) autotaskIds.push((await linkOf(stack, ticket))!.autotask_ticket_id)
  // Warm: a technician's name read once, PSA Link's own writes settled.
  stack.sandbox.autotask.addTechnicianNote(autotaskIds[0]!, { title: 'Warm-up', description: `Hello ${label}.`, resourceId: technician })
  await cycle(stack)
  await cycle(stack)
  return { tickets, autotaskIds }
}

/** `context` whose Zendesk gateway calls `after` once each of PSA Link's own comments is written. */
function afterOwnComments(context: SyncContext, after: (written: number) => void): SyncContext {
  let written = 0
  const addComment: ZendeskGateway['addComment'] = async (...args) => {
    const result = await context.zendesk.addComment(...args)
    written += 1
    after(written)
    return result
  }
  const zendesk = new Proxy(context.zendesk, {
    get: (target, property, receiver) => (property === 'addComment' ? addComment : Reflect.get(target, property, receiver)),
  })
  return { ...context, zendesk }
}

async function snapshotOf(ticketId: number): Promise<unknown> {
  const { rows } = await stack.database.pool.query('SELECT autotask_snapshot FROM ticket_links WHERE zendesk_account_id = $1 AND zendesk_ticket_id = $2', [
    stack.accountId,
    ticketId,
  ])
  return rows[0]?.autotask_snapshot
}

describe('Autotask tickets read only when a cycle has work for them (issue 17)', () => {
  it.each([
    { change: 'rename and comment on', renamed: true },
    { change: 'comment on', renamed: false },
  ])(
    'reads nothing for tickets back for PSA Link’s own comments and makes each Autotask call once when agents $change tickets spread over several holds',
    async ({ renamed }) => {
      const { tickets, autotaskIds } = await linkedTickets(20, 'Spread')
      const agent = agentOf(stack)
      // Agents act in a later second than PSA Link's writes so far (Zendesk's times are to the second).
      stack.sandbox.zendesk.advanceTime(2000)
      for (let index = 0; index < 15; index += 1)
        stack.sandbox.autotask.addTechnicianNote(autotaskIds[index]!, {
          title: `Visit ${index}`,
          description: `Swapped disk ${index}.`,
          resourceId: technician,
        })
      // While PSA Link writes the technicians' notes to Zendesk, agents rename and comment on five
      // other tickets, one after every third of PSA Link's comments: the next export interleaves them.
      const base = await stack.app.syncContexts.forAccount(stack.accountId)
      const agentTickets = tickets.slice(15)
      const interleaved = afterOwnComments(base, (written) => {
        if (written % 3 !== 0) return
        const ticket = agentTickets[written / 3 - 1]
        if (ticket === undefined) return
        if (renamed) stack.sandbox.zendesk.updateTicket(ticket, { subject: `Renamed ${ticket}` }, agent.id)
        stack.sandbox.zendesk.addComment(ticket, { body: `Agent follow-up ${ticket}.`, public: true, authorId: agent.id })
      })
      await runCycle(interleaved, { intervalSeconds: 300 })
      const exported = stack.sandbox.zendesk
        .tickets()
        .filter((ticket) => tickets.includes(ticket.id))
        .sort((a, b) => a.exportSequence - b.exportSequence)
        .map((ticket) => ticket.id)
      // Holds of five in export order: without ordering, every hold would hold an agent's change.
      const holdSize = 5
      expect(new Set(agentTickets.map((ticket) => Math.floor(exported.indexOf(ticket) / holdSize))).size).toBeGreaterThan(2)
      const snapshotsBefore = await Promise.all(tickets.slice(0, 15).map(snapshotOf))
      stack.sandbox.autotask.resetCounters()

      await runCycle(base, { intervalSeconds: 300, holdSize })

      const counters = stack.sandbox.autotask.counters()
      const perOperation = counters.byOperationAndEntity
      console.log(`cycle with agents' changes spread over holds (renamed: ${renamed}), ${transport}: ${JSON.stringify(perOperation)}`)
      if (transport === 'soap') {
        // The two change scans, one read (before the update when there is one), one update, one note create.
        expect(perOperation).toEqual({ 'query:Ticket': 2, 'query:TicketNote': 1, ...(renamed ? { 'update:Ticket': 1 } : {}), 'create:TicketNote': 1 })
      } else {
        // REST has no batches: one call per note and per PATCH, beyond the same few.
        expect(perOperation['create:TicketNote']).toBe(5)
        expect(perOperation['update:Ticket'] ?? 0).toBe(renamed ? 5 : 0)
        expect(counters.total - (renamed ? 10 : 5)).toBeLessThanOrEqual(renamed ? 5 : 4)
      }
      for (const ticket of agentTickets) {
        const title = stack.sandbox.autotask.getTicket((await linkOf(stack, ticket))!.autotask_ticket_id)!.fields.Title
        expect(title).toBe(renamed ? `Renamed ${ticket}` : `Spread ${tickets.indexOf(ticket)}`)
        expect((await autotaskNotesOf(stack, ticket)).filter((note) => note.fields.Description === `Agent follow-up ${ticket}.`)).toHaveLength(1)
      }
      for (let index = 0; index < 15; index += 1)
        expect(zendeskCommentsOf(stack, tickets[index]!).filter((comment) => comment.body.includes(`Swapped disk ${index}.`))).toHaveLength(1)
      // The tickets not read keep the sidebar's stored view of their Autotask ticket, and are linked.
      expect(await Promise.all(tickets.slice(0, 15).map(snapshotOf))).toEqual(snapshotsBefore)
      for (const snapshot of snapshotsBefore) expect(snapshot).toMatchObject({ status: { label: expect.any(String) } })
      for (const ticket of tickets) expect((await stateOf(stack, ticket))?.state).toBe('linked')
    },
  )

  it('reads no ticket for a technician’s note mirrored already that the next scan’s overlap brings back on a ticket PSA Link wrote to last', async () => {
    const { tickets, autotaskIds } = await linkedTickets(2, 'Overlap')
    stack.sandbox.autotask.addTechnicianNote(autotaskIds[1]!, { title: 'Onsite', description: 'Fan replaced.', resourceId: technician })
    await cycle(stack)
    expect(zendeskCommentsOf(stack, tickets[1]!).filter((comment) => comment.body.includes('Fan replaced.'))).toHaveLength(1)
    // PSA Link then writes to the ticket last (the agent's rename and comment), so the ticket scan
    // leaves it out while the note scan's overlap still shows the technician's note.
    stack.sandbox.zendesk.updateTicket(tickets[1]!, { subject: 'Overlap renamed' }, agentOf(stack).id)
    stack.sandbox.zendesk.addComment(tickets[1]!, { body: 'Thanks, closing soon.', public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    stack.sandbox.autotask.resetCounters()

    await cycle(stack)

    expect(stack.sandbox.autotask.counters().byOperationAndEntity).toEqual({ 'query:Ticket': 1, 'query:TicketNote': 1 })
    expect(zendeskCommentsOf(stack, tickets[1]!).filter((comment) => comment.body.includes('Fan replaced.'))).toHaveLength(1)
  })

  it('mirrors an agent’s comment made in the same second as PSA Link’s own comment on the ticket', async () => {
    const { tickets, autotaskIds } = await linkedTickets(6, 'Same second')
    const moment = new Date(Math.floor(stack.sandbox.zendesk.now().getTime() / 1000) * 1000 + 5000)
    stack.sandbox.zendesk.setNow(moment)
    try {
      for (const [index, id] of autotaskIds.entries())
        stack.sandbox.autotask.addTechnicianNote(id, { title: `Call ${index}`, description: `Called the customer ${index}.`, resourceId: technician })
      await cycle(stack)
      const target = tickets[0]!
      expect(zendeskCommentsOf(stack, target).filter((comment) => comment.body.includes('Called the customer 0.'))).toHaveLength(1)
      // The agent answers in the very second of PSA Link's comment: by its time, the ticket looks
      // like PSA Link's own echo, so it goes last; it is still synced, its comment mirrored.
      stack.sandbox.zendesk.addComment(target, { body: 'Customer confirmed by phone.', public: false, authorId: agentOf(stack).id })
      const context = await stack.app.syncContexts.forAccount(stack.accountId)
      await runCycle(context, { intervalSeconds: 300, holdSize: 2 })
      expect((await autotaskNotesOf(stack, target)).filter((note) => note.fields.Description === 'Customer confirmed by phone.')).toHaveLength(1)
      expect((await stateOf(stack, target))?.state).toBe('linked')
    } finally {
      stack.sandbox.zendesk.setNow(null)
    }
  })

  it('marks the link broken when an agent comments on a ticket PSA Link commented on last and a technician deleted in Autotask', async () => {
    const { tickets, autotaskIds } = await linkedTickets(4, 'Deleted')
    for (const [index, id] of autotaskIds.entries())
      stack.sandbox.autotask.addTechnicianNote(id, { title: `Note ${index}`, description: `Looked at it ${index}.`, resourceId: technician })
    await cycle(stack)
    stack.sandbox.autotask.deleteTicket(autotaskIds[1]!)
    stack.sandbox.zendesk.addComment(tickets[1]!, { body: 'Any news on this one?', public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    expect((await linkOf(stack, tickets[1]!))?.state).toBe('broken')
    expect((await stateOf(stack, tickets[1]!))?.state).toBe('broken')
    const { rows } = await stack.database.pool.query("SELECT code FROM sync_problems WHERE zendesk_ticket_id = $1 AND state = 'open'", [tickets[1]])
    expect(rows.map((row) => row.code)).toContain('autotask_ticket_missing')
    // The others came back for PSA Link's own comments only and stay linked.
    for (const ticket of [tickets[0]!, tickets[2]!, tickets[3]!]) expect((await linkOf(stack, ticket))?.state).toBe('linked')
  })
})
