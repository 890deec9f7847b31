import { NOTE_PUBLISH } from '@psa-link/shared'
import { addAutotaskNoteAs, autotaskResourceIdByEmail, postZendeskCommentAs } from '../../helpers/acting-for-people'
import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// server/src/sync/README.md R8–R11, over real HTTP against the emulators.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

async function linkedTicket(clusterId = 'CL-1001') {
  const ticket = openTicket(stack, { clusterId })
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  return { ticket, autotaskId: link!.autotask_ticket_id }
}

const zendeskUrl = () => `${stack.origin}/sandbox/zendesk`
const autotaskRestUrl = () => `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`

const mirroredNotes = async (zendeskId: number) => (await autotaskNotesOf(stack, zendeskId)).filter((note) => String(note.fields.Title).startsWith('Zendesk #'))

describe('Zendesk → Autotask', () => {
  it('turns each later comment into one note titled "Zendesk #<id>: <author>", public → All Autotask Users, private → Internal', async () => {
    const { ticket } = await linkedTicket()
    const agent = agentOf(stack)
    const customer = stack.sandbox.zendesk.requester()
    // The agent and the customer write through Zendesk's API themselves (X-On-Behalf-Of).
    const open = await postZendeskCommentAs(zendeskUrl(), { ticketId: ticket.id, person: agent.email, body: 'Replacing the fan now.', public: true })
    const internal = await postZendeskCommentAs(zendeskUrl(), { ticketId: ticket.id, person: agent.email, body: 'Customer is grumpy.', public: false })
    const reply = await postZendeskCommentAs(zendeskUrl(), { ticketId: ticket.id, person: customer.email, body: 'Thanks, it is back.' })
    await cycle(stack)
    const notes = await mirroredNotes(ticket.id)
    expect(notes.map((note) => [note.fields.Title, note.fields.Description, note.fields.Publish])).toEqual([
      [`Zendesk #${open}: ${agent.name}`, 'Replacing the fan now.', NOTE_PUBLISH.allAutotaskUsers],
      [`Zendesk #${internal}: ${agent.name}`, 'Customer is grumpy.', NOTE_PUBLISH.internalOnly],
      [`Zendesk #${reply}: ${customer.name}`, 'Thanks, it is back.', NOTE_PUBLISH.allAutotaskUsers],
    ])
  })

  it('writes a note for a comment with only attachments', async () => {
    const { ticket } = await linkedTicket()
    stack.sandbox.zendesk.addComment(ticket.id, {
      body: '',
      public: true,
      authorId: agentOf(stack).id,
      attachments: [{ fileName: 'ahs.log' }, { fileName: 'photo.jpg' }],
    })
    await cycle(stack)
    expect((await mirroredNotes(ticket.id)).map((note) => note.fields.Description)).toEqual(['[attachment not synced: ahs.log, photo.jpg]'])
  })

  it('mirrors comments in creation order', async () => {
    const { ticket } = await linkedTicket()
    const bodies = ['first', 'second', 'third', 'fourth']
    for (const body of bodies) stack.sandbox.zendesk.addComment(ticket.id, { body, public: true, authorId: agentOf(stack).id })
    await cycle(stack)
    const notes = (await mirroredNotes(ticket.id)).sort((a, b) => a.id - b.id)
    expect(notes.map((note) => note.fields.Description)).toEqual(bodies)
  })
})

describe('Autotask → Zendesk', () => {
  it('turns a technician’s note into a private comment headed "Autotask note #<id> · <creator> · <title>"', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    // The technician writes through Autotask's REST API themselves (ImpersonationResourceId).
    const technicianId = await autotaskResourceIdByEmail(autotaskRestUrl(), 'tara.nguyen@demo.test')
    const noteId = await addAutotaskNoteAs(autotaskRestUrl(), {
      ticketId: autotaskId,
      resourceId: technicianId,
      title: 'Onsite visit',
      description: 'Swapped the PSU.',
      publish: NOTE_PUBLISH.allAutotaskUsers,
    })
    await cycle(stack)
    const mirrored = zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith('Autotask note #'))
    expect(mirrored).toHaveLength(1)
    expect(mirrored[0]!.body).toBe(`Autotask note #${noteId} · Tara Nguyen · Onsite visit\n\nSwapped the PSU.`)
    expect(mirrored[0]!.public).toBe(false)
    expect(mirrored[0]!.authorId).toBe(stack.sandbox.zendesk.integrationUserId)
  })

  it('makes a note published to All Autotask Users public only when the connection says so', async () => {
    const { rows } = await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
    await stack.app.tenants.saveConnectionSettings(rows[0]!.id, { publicNotesToZendesk: true })
    try {
      const { ticket, autotaskId } = await linkedTicket()
      stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'For the customer', description: 'Fixed.', publish: NOTE_PUBLISH.allAutotaskUsers })
      stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Internal', description: 'Billing note.', publish: NOTE_PUBLISH.internalOnly })
      await cycle(stack)
      const mirrored = zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith('Autotask note #'))
      expect(mirrored.map((comment) => [comment.body.split('\n')[0]!.split(' · ').at(-1), comment.public])).toEqual([
        ['For the customer', true],
        ['Internal', false],
      ])
    } finally {
      await stack.app.tenants.saveConnectionSettings(rows[0]!.id, {})
    }
  })

  it('does not mirror workflow-rule notes (note-type allow-list)', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    const picklists = stack.sandbox.autotask.database().picklists.TicketNote?.NoteType ?? []
    const workflow = picklists.find((entry) => /workflow/i.test(entry.label))
    expect(workflow).toBeDefined()
    stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Rule fired', description: 'Escalated.', noteType: workflow!.value })
    await cycle(stack)
    expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith('Autotask note #'))).toHaveLength(0)
  })

  it('records notes of a closed Zendesk ticket as skipped instead of retrying them', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    stack.sandbox.zendesk.closeTicket(ticket.id)
    await cycle(stack)
    stack.sandbox.autotask.addTechnicianNote(autotaskId, { title: 'Late note', description: 'After closing.' })
    await cycle(stack)
    await cycle(stack)
    const { rows } = await stack.database.pool.query(
      "SELECT state, skip_reason FROM comment_links WHERE origin = 'autotask' AND ticket_link_id = (SELECT id FROM ticket_links WHERE zendesk_ticket_id = $1)",
      [ticket.id],
    )
    expect(rows).toEqual([{ state: 'skipped', skip_reason: 'The Zendesk ticket is closed and cannot take comments.' }])
    expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith('Autotask note #'))).toHaveLength(0)
  })
  it('keeps the notes waiting, none skipped and no problem filed, while Zendesk refuses updates to the ticket (its per-ticket limit)', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    for (const title of ['One', 'Two', 'Three']) stack.sandbox.autotask.addTechnicianNote(autotaskId, { title, description: `${title}.` })
    const limits = stack.sandbox.zendesk.limits()
    // No update to any ticket passes: Zendesk answers 429 with a Retry-After of its window (10 minutes).
    stack.sandbox.zendesk.setLimits({ updatesPerTicketPerUser: 0 })
    try {
      await cycle(stack)
    } finally {
      stack.sandbox.zendesk.setLimits(limits)
    }
    const state = await stateOf(stack, ticket.id)
    expect(state).toMatchObject({ state: 'throttled', waiting_notes: 3 })
    const { rows } = await stack.database.pool.query(
      "SELECT state FROM comment_links WHERE origin = 'autotask' AND ticket_link_id = (SELECT id FROM ticket_links WHERE zendesk_ticket_id = $1)",
      [ticket.id],
    )
    expect(rows).toEqual([])
    const problems = await stack.database.pool.query('SELECT code FROM sync_problems WHERE zendesk_ticket_id = $1', [ticket.id])
    expect(problems.rows).toEqual([])
    expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.startsWith('Autotask note #'))).toHaveLength(0)
  })
})

describe('echo', () => {
  it('never mirrors back what PSA Link wrote, however many cycles run', async () => {
    const { ticket, autotaskId } = await linkedTicket()
    await postZendeskCommentAs(zendeskUrl(), { ticketId: ticket.id, person: agentOf(stack).email, body: 'From Zendesk', public: true })
    const technicianId = await autotaskResourceIdByEmail(autotaskRestUrl(), 'jonas.berg@demo.test')
    await addAutotaskNoteAs(autotaskRestUrl(), { ticketId: autotaskId, resourceId: technicianId, title: 'From Autotask', description: 'From Autotask' })
    for (let round = 0; round < 4; round += 1) await cycle(stack)
    const notes = stack.sandbox.autotask.listNotes(autotaskId)
    const comments = zendeskCommentsOf(stack, ticket.id)
    expect(notes.filter((note) => note.fields.Description === 'From Zendesk')).toHaveLength(1)
    expect(notes.filter((note) => String(note.fields.Description).includes('From Autotask'))).toHaveLength(1)
    expect(comments.filter((comment) => comment.body.includes('From Autotask'))).toHaveLength(1)
    expect(comments.filter((comment) => comment.body.includes('From Zendesk'))).toHaveLength(1)
    expect((await stateOf(stack, ticket.id))?.state).toBe('linked')
  })
})
