import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import { agentOf, autotaskTicketsFor, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

type Transport = 'soap' | 'rest'

async function startOn(transport: Transport): Promise<TestStack> {
  const stack = await startScenario()
  await stack.database.pool.query('UPDATE autotask_connections SET transport = $1, updated_at = now() WHERE zendesk_account_id = $2', [
    transport,
    stack.accountId,
  ])
  stack.sandbox.autotask.resetCounters()
  return stack
}

/** The seeded tickets that route (CL-1001, CL-1002 and the padded " cl-1002 "). */
const routed = [1, 2, 6]

describe('the engine on the REST transport', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startOn('rest')
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('links the routed seed tickets over REST only and explains the rest when a first cycle runs', async () => {
    await cycle(stack)
    for (const id of routed) expect((await linkOf(stack, id))?.state).toBe('linked')
    expect((await stateOf(stack, 3))?.state).toBe('unrouted')
    const counters = stack.sandbox.autotask.counters()
    expect(counters.byFace.rest).toBeGreaterThan(0)
    expect(counters.byFace.soap).toBeUndefined()
    const ticket = stack.sandbox.autotask.getTicket((await linkOf(stack, 1))!.autotask_ticket_id)
    expect(ticket?.fields.ExternalID).toBe(`zd:${stack.accountId}:1`)
  })

  it('mirrors a comment and a note both ways and doubles nothing on later cycles', async () => {
    const autotaskId = (await linkOf(stack, 1))!.autotask_ticket_id
    stack.sandbox.zendesk.addComment(1, { body: 'Comment from Zendesk over REST', public: true, authorId: agentOf(stack).id })
    stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Onsite', description: 'Note from Autotask over REST' })
    await cycle(stack)
    const notes = () => stack.sandbox.autotask.listNotes(autotaskId)
    const comments = () => zendeskCommentsOf(stack, 1)
    expect(notes().filter((note) => note.fields.Description === 'Comment from Zendesk over REST')).toHaveLength(1)
    expect(comments().filter((comment) => comment.body.includes('Note from Autotask over REST'))).toHaveLength(1)
    const before = { notes: notes().length, comments: comments().length, tickets: stack.sandbox.autotask.listTickets().length }
    await cycle(stack)
    await cycle(stack)
    expect({ notes: notes().length, comments: comments().length, tickets: stack.sandbox.autotask.listTickets().length }).toEqual(before)
    for (const id of routed) expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
    expect(stack.sandbox.autotask.counters().byFace.soap).toBeUndefined()
  })
})

describe('requests per synced item on the seed data', () => {
  it('reads no more on REST than on SOAP and pays only for one write per call when both sync the seed data', async () => {
    const measured: Record<Transport, { cycle: number; served: number; writes: number; linked: number; perItem: number; wallMs: number }> = {} as never
    for (const transport of ['soap', 'rest'] as const) {
      const stack = await startOn(transport)
      try {
        const started = performance.now()
        const requests = await cycle(stack)
        const wallMs = Math.round(performance.now() - started)
        const linked = (await Promise.all(routed.map((id) => linkOf(stack, id)))).filter((link) => link?.state === 'linked').length
        expect(linked).toBe(routed.length)
        // The emulator also served the picklist load that building the context made before the cycle.
        const served = stack.sandbox.autotask.counters().byFace[transport] ?? 0
        expect(served).toBeGreaterThanOrEqual(requests.autotask)
        expect(stack.sandbox.autotask.counters().byFace[transport === 'rest' ? 'soap' : 'rest']).toBeUndefined()
        const { byOperation } = stack.sandbox.autotask.counters()
        const writes = (byOperation.create ?? 0) + (byOperation.update ?? 0)
        measured[transport] = { cycle: requests.autotask, served, writes, linked, perItem: Number((requests.autotask / linked).toFixed(2)), wallMs }
      } finally {
        await stack.close()
      }
    }
    console.info(`Autotask requests per linked seed ticket, first cycle: ${JSON.stringify(measured)}`)
    // REST writes one entity per call where SOAP batches 200: the writes may cost more, the reads may not.
    expect(measured.rest.served - measured.rest.writes).toBeLessThanOrEqual(measured.soap.served - measured.soap.writes)
    expect(measured.rest.writes).toBeGreaterThan(measured.soap.writes)
  })
})
