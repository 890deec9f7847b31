import { cycle, linkOf } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 13: PSA Link's markers ("Autotask note #…", "Zendesk #…") are text anyone can type. Only
// what PSA Link itself wrote (its ledger, its integration user, its own resource) is skipped.
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
  const link = await linkOf(stack, ticket.id)
  return { ticket, autotaskId: link!.autotask_ticket_id }
}

/** A ledger row as an interrupted pass leaves it: intent committed, remote create maybe not. */
async function pendingLedgerRow(
  zendeskTicketId: number,
  row: { origin: 'zendesk' | 'autotask'; zendeskCommentId: number | null; autotaskNoteId: number | null; naturalKey: string },
) {
  await stack.database.pool.query(
    `INSERT INTO comment_links (zendesk_account_id, connection_id, ticket_link_id, origin, zendesk_comment_id, autotask_note_id,
                                part, natural_key, author_name, is_public, preview, source_created_at)
     SELECT l.zendesk_account_id, l.connection_id, l.id, $3, $4, $5, 1, $6, 'someone', false, '', now()
       FROM ticket_links l WHERE l.zendesk_account_id = $1 AND l.zendesk_ticket_id = $2`,
    [stack.accountId, zendeskTicketId, row.origin, row.zendeskCommentId, row.autotaskNoteId, row.naturalKey],
  )
}

describe('a comment that begins with PSA Link’s marker text', () => {
  it('reaches Autotask when the requester wrote it', async () => {
    const { ticket } = await linkedTicket()
    const requester = stack.sandbox.zendesk.requester()
    const forged = stack.sandbox.zendesk.addComment(ticket.id, {
      body: 'Autotask note #1 · Tara Nguyen · Fixed\n\nIt is not fixed at all.',
      public: true,
      authorId: requester.id,
    })
    await cycle(stack)
    const notes = await autotaskNotesOf(stack, ticket.id)
    expect(notes.filter((note) => note.fields.Title === `Zendesk #${forged.id}: ${requester.name}`).map((note) => note.fields.Description)).toEqual([
      'Autotask note #1 · Tara Nguyen · Fixed\n\nIt is not fixed at all.',
    ])
  })

  it('reaches Autotask when an agent wrote it while a mirrored note of that number waits to be recovered', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    const note = stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Onsite', description: 'Swapped the PSU.' })
    // The pass that mirrors the note "crashed" after its ledger row; an agent then types the header.
    await pendingLedgerRow(ticket.id, { origin: 'autotask', zendeskCommentId: null, autotaskNoteId: note.id, naturalKey: `Autotask note #${note.id}` })
    const agent = agentOf(stack)
    const forged = stack.sandbox.zendesk.addComment(ticket.id, { body: `Autotask note #${note.id} · as discussed`, public: false, authorId: agent.id })
    await cycle(stack)

    const mirroredByPsaLink = zendeskCommentsOf(stack, ticket.id).filter(
      (comment) => comment.authorId === stack.sandbox.zendesk.integrationUserId && comment.body.startsWith(`Autotask note #${note.id} ·`),
    )
    expect(mirroredByPsaLink.map((comment) => comment.body.split('\n\n')[1])).toEqual(['Swapped the PSU.'])
    const notes = await autotaskNotesOf(stack, ticket.id)
    expect(notes.filter((candidate) => candidate.fields.Title === `Zendesk #${forged.id}: ${agent.name}`)).toHaveLength(1)
  })
})

describe('an Autotask note titled like one of PSA Link’s', () => {
  it('reaches Zendesk when a technician wrote it', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    const note = stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: `Zendesk #${ticket.id}: Customer`, description: 'Called the customer back.' })
    await cycle(stack)
    const mirrored = zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith(`Autotask note #${note.id} ·`))
    expect(mirrored).toHaveLength(1)
    expect(mirrored[0]!.body.endsWith('Called the customer back.')).toBe(true)
  })

  it('reaches Zendesk, and the comment it imitates still reaches Autotask, when it names a comment whose note waits to be recovered', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    const agent = agentOf(stack)
    // One comment mirrored normally shows which resource PSA Link writes notes as.
    stack.sandbox.zendesk.addComment(ticket.id, { body: 'First update.', public: true, authorId: agent.id })
    await cycle(stack)
    const comment = stack.sandbox.zendesk.addComment(ticket.id, { body: 'Second update.', public: true, authorId: agent.id })
    const title = `Zendesk #${comment.id}: ${agent.name}`
    await pendingLedgerRow(ticket.id, { origin: 'zendesk', zendeskCommentId: comment.id, autotaskNoteId: null, naturalKey: title })
    const forged = stack.sandbox.autotask.addTechnicianNote(autotaskId, { title, description: 'Not what the agent wrote.' })
    await cycle(stack)

    const notes = await autotaskNotesOf(stack, ticket.id)
    expect(
      notes
        .filter((note) => note.fields.Title === title)
        .map((note) => note.fields.Description)
        .sort(),
    ).toEqual(['Not what the agent wrote.', 'Second update.'])
    const mirrored = zendeskCommentsOf(stack, ticket.id).filter((candidate) => candidate.body.startsWith(`Autotask note #${forged.id} ·`))
    expect(mirrored).toHaveLength(1)
  })
})
