import { allPages } from '../../helpers/all-pages'
import { addAutotaskNoteAs } from '../../helpers/acting-for-people'
import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, openTicket, startScenario, zendeskCommentsOf, autotaskNotesOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17: a steady cycle with 20 changed tickets costs at most 5 Autotask requests (reads, and
// writes in batches where the transport has them; REST writes one note per call, which the
// minimum counts as such). Counted per operation by the emulator, on each transport.
const CLUSTERS = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006']

describe.each(['soap', 'rest'] as const)('a steady cycle on %s', (transport) => {
  let stack: TestStack
  const tickets: number[] = []
  const autotaskIds: number[] = []
  let changesFrom: Date

  beforeAll(async () => {
    stack = await startScenario()
    await stack.database.pool.query('UPDATE autotask_connections SET transport = $2 WHERE zendesk_account_id = $1', [stack.accountId, transport])
    for (let index = 0; index < 20; index += 1)
      tickets.push(openTicket(stack, { clusterId: CLUSTERS[index % CLUSTERS.length]!, subject: `Steady ${index}`, status: 'open' }).id)
    await cycle(stack)
    for (const ticket of tickets) autotaskIds.push((await linkOf(stack, ticket))!.autotask_ticket_id)
    // Warm: a technician's name read once, PSA Link's own notes and writes settled.
    const technician = stack.sandbox.autotask.seeded()!.technicianIds[0]!
    stack.sandbox.autotask.addTechnicianNote(autotaskIds[0]!, { title: 'Warm-up', description: 'Hello.', resourceId: technician })
    stack.sandbox.zendesk.addComment(tickets[1]!, { body: 'Warm-up reply.', public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    await cycle(stack)
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
  })

  it('costs at most 5 Autotask requests beyond one call per REST note when 10 tickets get technicians’ notes and 10 get agents’ comments', async () => {
    const restBase = `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
    const technician = stack.sandbox.autotask.seeded()!.technicianIds[0]!
    changesFrom = stack.sandbox.autotask.now()
    for (let index = 0; index < 10; index += 1)
      await addAutotaskNoteAs(restBase, {
        ticketId: autotaskIds[index]!,
        resourceId: technician,
        title: `Onsite ${index}`,
        description: `Replaced part ${index}.`,
      })
    for (let index = 10; index < 20; index += 1)
      stack.sandbox.zendesk.addComment(tickets[index]!, { body: `Agent follow-up ${index}.`, public: true, authorId: agentOf(stack).id })
    stack.sandbox.autotask.resetCounters()

    await cycle(stack)

    const counters = stack.sandbox.autotask.counters()
    const perOperation = counters.byOperationAndEntity
    console.log(`steady cycle, 20 changed tickets, ${transport}: ${JSON.stringify(perOperation)}`)
    // SOAP sends the 10 notes in one call; REST has no batches: one call per note, beyond the 5.
    expect(perOperation['create:TicketNote']).toBe(transport === 'soap' ? 1 : 10)
    expect(counters.total - (transport === 'rest' ? 10 : 0)).toBeLessThanOrEqual(5)
    expect(perOperation['query:Resource'] ?? 0).toBe(0)
    for (let index = 0; index < 10; index += 1)
      expect(zendeskCommentsOf(stack, tickets[index]!).filter((comment) => comment.body.includes(`Replaced part ${index}.`))).toHaveLength(1)
    for (let index = 10; index < 20; index += 1)
      expect((await autotaskNotesOf(stack, tickets[index]!)).filter((note) => note.fields.Description === `Agent follow-up ${index}.`)).toHaveLength(1)
  })

  it('costs at most 5 Autotask requests beyond one call per REST note or update when agents rename and comment on 10 tickets and technicians note 10 others', async () => {
    const technician = stack.sandbox.autotask.seeded()!.technicianIds[0]!
    await cycle(stack)
    for (let index = 0; index < 10; index += 1)
      stack.sandbox.autotask.addTechnicianNote(autotaskIds[index]!, {
        title: `Visit ${index}`,
        description: `Checked the line ${index}.`,
        resourceId: technician,
      })
    for (let index = 10; index < 20; index += 1) {
      stack.sandbox.zendesk.updateTicket(tickets[index]!, { subject: `Renamed ${index}` }, agentOf(stack).id)
      stack.sandbox.zendesk.addComment(tickets[index]!, { body: `Agent follow-up after the rename ${index}.`, public: true, authorId: agentOf(stack).id })
    }
    stack.sandbox.autotask.resetCounters()

    await cycle(stack)

    const counters = stack.sandbox.autotask.counters()
    const perOperation = counters.byOperationAndEntity
    console.log(`steady cycle with renames, ${transport}: ${JSON.stringify(perOperation)}`)
    // SOAP: one note create, one read before the update, one update, the two change scans.
    // REST: one call per note and per PATCH (no batches), each PATCH read back in one query.
    expect(counters.total - (transport === 'rest' ? 20 : 0)).toBeLessThanOrEqual(5)
    for (let index = 10; index < 20; index += 1) expect(stack.sandbox.autotask.getTicket(autotaskIds[index]!)!.fields.Title).toBe(`Renamed ${index}`)
    for (let index = 0; index < 10; index += 1)
      expect(zendeskCommentsOf(stack, tickets[index]!).filter((comment) => comment.body.includes(`Checked the line ${index}.`))).toHaveLength(1)
  })

  it('leaves the tickets PSA Link only wrote notes on out of the next change scan, and the next cycle reads twice', async () => {
    const gateway = (await stack.app.syncContexts.forAccount(stack.accountId)).connections[0]!.gateway
    const scanned = await allPages(gateway.scanTicketsChangedSince(changesFrom))
    // The technicians' tickets stay (a technician touched them last); PSA Link's ten notes do not bring theirs back.
    expect(scanned.map((ticket) => ticket.id).sort()).toEqual(autotaskIds.slice(0, 10).sort())

    stack.sandbox.autotask.resetCounters()
    await cycle(stack)
    // The two change scans only: the ten tickets the export shows because PSA Link commented on
    // them in Zendesk have nothing to do on Autotask and are not read.
    expect(stack.sandbox.autotask.counters().byOperationAndEntity).toEqual({ 'query:Ticket': 1, 'query:TicketNote': 1 })
  })
})
