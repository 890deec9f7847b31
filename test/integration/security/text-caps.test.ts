import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 13: remote text is cut to a known bound before PSA Link parses or copies it, and says so.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

async function linkedTicket() {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  return { ticket, autotaskId: (await linkOf(stack, ticket.id))!.autotask_ticket_id }
}

it('cuts a Zendesk comment beyond 262,144 characters and ends its last note with a line saying so', async () => {
  const { ticket } = await linkedTicket()
  const huge = Array.from({ length: 8_000 }, (_, index) => `Line ${index}: ${'x'.repeat(40)}`).join('\n')
  expect(huge.length).toBeGreaterThan(300_000)
  const comment = stack.sandbox.zendesk.addComment(ticket.id, { body: huge, public: false, authorId: agentOf(stack).id })
  await cycle(stack)
  const parts = (await autotaskNotesOf(stack, ticket.id))
    .filter((note) => String(note.fields.Title).startsWith(`Zendesk #${comment.id} (part `))
    .sort((a, b) => a.id - b.id)
  const text = parts.map((part) => String(part.fields.Description)).join('\n')
  expect(text.split('\n').at(-1)).toMatch(/^\[PSA Link cut this text at 262,144 characters; the original has [\d,]+\.\]$/)
  expect(text.length).toBeLessThan(262_144 + 200)
})

it('cuts an Autotask note beyond TicketNote’s 32,000 characters and ends the Zendesk comment with a line saying so', async () => {
  const { ticket, autotaskId } = await linkedTicket()
  const note = stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Log', description: 'y'.repeat(40_000) })
  await cycle(stack)
  const mirrored = zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith(`Autotask note #${note.id} ·`))
  expect(mirrored).toHaveLength(1)
  const lines = mirrored[0]!.body.split('\n')
  expect(lines.at(-1)).toBe('[PSA Link cut this text at 32,000 characters; the original has 40,000.]')
  expect(lines.at(-3)).toBe('y'.repeat(32_000))
})
