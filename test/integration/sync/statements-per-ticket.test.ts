import { runCycle } from '../../../server/src/sync/run-cycle'
import { countStatements } from '../../helpers/count-statements'
import { agentOf, autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

let stack: TestStack
const TICKETS = 60

beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => stack?.close())

async function countedCycle(): Promise<number> {
  const context = await stack.app.syncContexts.forAccount(stack.accountId)
  const { statements, texts } = await countStatements(stack.database.pool, () => runCycle(context, { intervalSeconds: 300 }))
  const byText = new Map<string, number>()
  for (const text of texts) byText.set(text, (byText.get(text) ?? 0) + 1)
  console.info(
    [...byText]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([text, count]) => `${count}× ${text}`)
      .join('\n'),
  )
  return statements
}

describe('PostgreSQL statements per ticket (issue 17)', () => {
  it('writes a page of tickets in a few statements rather than several per ticket when a cycle creates and then updates many', async () => {
    const agent = agentOf(stack)
    const ids = Array.from({ length: TICKETS }, (_, index) => {
      const ticket = openTicket(stack, { subject: `Counted ${index}`, clusterId: 'CL-1001' })
      stack.sandbox.zendesk.addComment(ticket.id, { body: 'More detail', public: true, authorId: agent.id })
      return ticket.id
    })
    const creating = await countedCycle()
    console.info(
      `statements per ticket in the cycle creating them: ${(creating / TICKETS).toFixed(2)} (${creating} for ${TICKETS} tickets, plus the seed's few)`,
    )
    for (const id of ids) expect(autotaskTicketsFor(stack, id)).toHaveLength(1)

    for (const id of ids) stack.sandbox.zendesk.addComment(id, { body: 'A later reply', public: true, authorId: agent.id })
    const steady = await countedCycle()
    const perTicket = steady / TICKETS
    console.info(`statements per ticket in a cycle mirroring one comment each: ${perTicket.toFixed(2)} (${steady} for ${TICKETS} tickets)`)
    expect(perTicket).toBeLessThanOrEqual(5)
  })
})
