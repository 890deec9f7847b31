import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, autotaskTicketOf, autotaskTicketsFor, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Hostile input (issue 5): every odd value ends in the documented state with a clear message,
// nothing is lost or doubled, and nothing breaks the XML of SOAP or the JSON of REST.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

const NASTY = `Tom & Jerry <b>bold</b> "quoted" 'single' ]]> <![CDATA[x]]> <script>alert(1)</script> 🚀👩‍🔧 Ünïcödé 日本語`

it('keeps XML and HTML specials, ]]>, scripts and emoji intact in the title and notes', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: NASTY, comment: { body: NASTY, public: true } })
  await cycle(stack)
  const autotask = await autotaskTicketOf(stack, ticket.id)
  expect(autotask?.fields.Title).toBe(NASTY)
  expect(autotask?.fields.Description).toBe(NASTY)
  stack.sandbox.zendesk.addComment(ticket.id, { body: NASTY, public: true, authorId: agentOf(stack).id })
  stack.sandbox.autotask.addTechnicianNote((await linkOf(stack, ticket.id))!.autotask_ticket_id, { title: 'Specials <&>', description: NASTY })
  await cycle(stack)
  expect((await autotaskNotesOf(stack, ticket.id)).filter((note) => note.fields.Description === NASTY)).toHaveLength(2)
  expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.endsWith(NASTY) && comment.body.startsWith('Autotask note #'))).toHaveLength(1)
})

it('renders an HTML comment with a script as text, without the script', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  stack.sandbox.zendesk.addComment(ticket.id, {
    htmlBody: '<p>Hi</p><script>document.cookie</script><img src=x onerror="alert(1)"><p>there</p>',
    public: true,
    authorId: agentOf(stack).id,
  })
  await cycle(stack)
  const notes = (await autotaskNotesOf(stack, ticket.id)).filter((note) => String(note.fields.Title).startsWith('Zendesk #'))
  expect(notes.map((note) => note.fields.Description)).toEqual(['Hi\n\nthere'])
})

it('removes characters XML 1.0 cannot carry instead of failing the write', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Bell\u0007 and null\u0000 and lone \ud800 surrogate' })
  await cycle(stack)
  expect((await linkOf(stack, ticket.id))?.state).toBe('linked')
  expect((await autotaskTicketOf(stack, ticket.id))?.fields.Title).toBe('Bell and null and lone surrogate')
})

it('splits a 100 KB comment into numbered notes that add up to the whole text', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001' })
  await cycle(stack)
  const huge = Array.from({ length: 2000 }, (_, index) => `Line ${index}: ${'x'.repeat(40)}`).join('\n')
  expect(huge.length).toBeGreaterThan(100_000)
  const comment = stack.sandbox.zendesk.addComment(ticket.id, { body: huge, public: false, authorId: agentOf(stack).id })
  await cycle(stack)
  const parts = (await autotaskNotesOf(stack, ticket.id))
    .filter((note) => String(note.fields.Title).startsWith(`Zendesk #${comment.id} (part `))
    .sort((a, b) => a.id - b.id)
  expect(parts.length).toBe(4)
  for (const part of parts) expect(String(part.fields.Description).length).toBeLessThanOrEqual(32_000)
  expect(parts.map((part) => part.fields.Description).join('\n')).toBe(huge)
})

it('gives an empty subject a placeholder title naming the Zendesk ticket', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: '   ' })
  await cycle(stack)
  expect((await autotaskTicketOf(stack, ticket.id))?.fields.Title).toBe(`(no subject) — Zendesk #${ticket.id}`)
})

it('explains an unknown Cluster ID and one with two matches, creating nothing for either', async () => {
  const unknown = openTicket(stack, { clusterId: 'CL-<script>' })
  const twice = openTicket(stack, { clusterId: 'cl-1005' })
  await cycle(stack)
  expect(await stateOf(stack, unknown.id)).toMatchObject({ state: 'unrouted', message: 'Cluster ID CL-<script> is not registered in Autotask.' })
  expect((await stateOf(stack, twice.id))?.state).toBe('ambiguous')
  expect((await stateOf(stack, twice.id))?.message).toContain('matches 2 Autotask installed products')
  expect(autotaskTicketsFor(stack, unknown.id)).toHaveLength(0)
  expect(autotaskTicketsFor(stack, twice.id)).toHaveLength(0)
  // An ambiguity waits in the console's "needs action" list with its candidates, not as a problem retried every cycle.
  expect((await stateOf(stack, twice.id))?.candidates).toHaveLength(2)
})
