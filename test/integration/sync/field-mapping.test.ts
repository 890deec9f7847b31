import { cycle, linkOf } from '../../helpers/sync-driver'
import { autotaskNotesOf, autotaskTicketOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// server/src/sync/README.md R4–R7, one rule per test, over real HTTP against the emulators.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

const STATUS = { new: 1, inProgress: 8, complete: 5, waitingCustomer: 7 }
const PRIORITY = { high: 1, medium: 2, low: 3, critical: 4 }

describe('Subject → Title', () => {
  it('sets the title on create and follows later subject changes', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: 'Fan failure' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Title).toBe('Fan failure')
    stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'Fan failure on node 2' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Title).toBe('Fan failure on node 2')
  })

  it('cuts a long subject at a word with … within 255 characters', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', subject: `Disk ${'replacement '.repeat(40)}` })
    await cycle(stack)
    const title = String((await autotaskTicketOf(stack, ticket.id))?.fields.Title)
    expect(title.length).toBeLessThanOrEqual(255)
    expect(title.endsWith('replacement…')).toBe(true)
  })
})

describe('Description', () => {
  it('sends the first comment as readable plain text', async () => {
    const ticket = openTicket(stack, {
      clusterId: 'CL-1001',
      comment: { htmlBody: '<p>Node <b>3</b> is down.</p><ul><li>power ok</li></ul><p>See <a href="https://kb.test/1">KB 1</a></p>', public: true },
    })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Description).toBe('Node 3 is down.\n\n * power ok\n\nSee KB 1 (https://kb.test/1)')
  })

  it('continues a description beyond 8,000 characters in notes titled "Description (continued)"', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, index) => `Paragraph ${index}: ${'log line '.repeat(40)}`)
    const ticket = openTicket(stack, { clusterId: 'CL-1001', comment: { body: paragraphs.join('\n\n'), public: true } })
    await cycle(stack)
    const description = String((await autotaskTicketOf(stack, ticket.id))?.fields.Description)
    expect(description.length).toBeLessThanOrEqual(8000)
    const continued = (await autotaskNotesOf(stack, ticket.id)).filter((note) => String(note.fields.Title).startsWith('Description (continued)'))
    expect(continued.length).toBeGreaterThanOrEqual(1)
    const whole = [description, ...continued.sort((a, b) => a.id - b.id).map((note) => String(note.fields.Description))].join('\n\n')
    expect(whole.replace(/\s+/g, ' ')).toBe(paragraphs.join('\n\n').replace(/\s+/g, ' ').trim())
    await cycle(stack)
    expect((await autotaskNotesOf(stack, ticket.id)).filter((note) => String(note.fields.Title).startsWith('Description (continued)'))).toHaveLength(
      continued.length,
    )
  })

  it('posts a technician’s edit of the Autotask description to Zendesk as an internal comment', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    stack.sandbox.autotask.editTicket(link!.autotask_ticket_id, { Description: 'Root cause: failed PSU in bay 2.' })
    await cycle(stack)
    await cycle(stack)
    const comments = stack.sandbox.zendesk.ticket(ticket.id)!.comments.filter((comment) => comment.body.startsWith('Autotask description changed:'))
    expect(comments).toHaveLength(1)
    expect(comments[0]!.public).toBe(false)
    expect(comments[0]!.body).toContain('Root cause: failed PSU in bay 2.')
  })
})

describe('Priority', () => {
  it.each([
    ['low', PRIORITY.low],
    ['normal', PRIORITY.medium],
    ['high', PRIORITY.high],
    ['urgent', PRIORITY.critical],
    [null, PRIORITY.medium],
  ])('maps Zendesk priority %s to Autotask priority %i', async (priority, expected) => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', priority })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(expected)
  })

  it('sets the due date from the priority’s response time (urgent 4 h, otherwise 24 h)', async () => {
    const urgent = openTicket(stack, { clusterId: 'CL-1001', priority: 'urgent' })
    const normal = openTicket(stack, { clusterId: 'CL-1001', priority: 'normal' })
    const before = Date.now()
    await cycle(stack)
    const due = async (id: number) => ((await autotaskTicketOf(stack, id))?.fields.DueDateTime as Date).getTime() - before
    expect(Math.abs((await due(urgent.id)) - 4 * 3_600_000)).toBeLessThan(120_000)
    expect(Math.abs((await due(normal.id)) - 24 * 3_600_000)).toBeLessThan(120_000)
  })
})

describe('Status', () => {
  it('creates every ticket as New and keeps it New until Zendesk’s status changes', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', status: 'open' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Status).toBe(STATUS.new)
    stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'touch' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Status).toBe(STATUS.new)
    stack.sandbox.zendesk.updateTicket(ticket.id, { status: 'pending' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Status).toBe(STATUS.waitingCustomer)
  })

  it('pushes nothing when solved becomes closed (Complete → Complete)', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', status: 'open' })
    await cycle(stack)
    stack.sandbox.zendesk.updateTicket(ticket.id, { status: 'solved' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Status).toBe(STATUS.complete)
    stack.sandbox.autotask.editTicket(link!.autotask_ticket_id, { Status: STATUS.inProgress })
    stack.sandbox.zendesk.closeTicket(ticket.id)
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Status).toBe(STATUS.inProgress)
  })

  it('never changes Zendesk when Autotask’s status changes', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', status: 'open' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    stack.sandbox.autotask.editTicket(link!.autotask_ticket_id, { Status: STATUS.complete })
    // A note in the same change proves the cycle looked at this ticket (a cycle doing nothing would pass otherwise).
    stack.sandbox.autotask.addTechnicianNote(link!.autotask_ticket_id, { title: 'Done', description: 'Closed on our side.' })
    await cycle(stack)
    expect(zendeskCommentsOf(stack, ticket.id).filter((comment) => comment.body.includes('Closed on our side.'))).toHaveLength(1)
    expect(stack.sandbox.zendesk.ticket(ticket.id)?.status).toBe('open')
  })
})

describe('one-way fields are pushed only when the mapped Zendesk value changes', () => {
  it('keeps a technician’s priority until Zendesk changes its priority again', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001', priority: 'normal' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    stack.sandbox.autotask.editTicket(link!.autotask_ticket_id, { Priority: PRIORITY.critical })
    stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'Only the subject changed' })
    await cycle(stack)
    const kept = await autotaskTicketOf(stack, ticket.id)
    expect(kept?.fields.Priority).toBe(PRIORITY.critical)
    expect(kept?.fields.Title).toBe('Only the subject changed')
    stack.sandbox.zendesk.updateTicket(ticket.id, { priority: 'low' })
    await cycle(stack)
    expect((await autotaskTicketOf(stack, ticket.id))?.fields.Priority).toBe(PRIORITY.low)
  })

  it('keeps fields PSA Link does not own when it updates a ticket (whole-object update)', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    const link = await linkOf(stack, ticket.id)
    const resource = [...stack.sandbox.autotask.database().records.Resource.values()].at(-1)!
    stack.sandbox.autotask.editTicket(link!.autotask_ticket_id, { AssignedResourceID: resource.id, AssignedResourceRoleID: 29682885 })
    stack.sandbox.zendesk.updateTicket(ticket.id, { subject: 'Renamed' })
    await cycle(stack)
    const after = await autotaskTicketOf(stack, ticket.id)
    expect(after?.fields.Title).toBe('Renamed')
    expect(after?.fields.AssignedResourceID).toBe(resource.id)
  })
})

describe('settings and natural keys', () => {
  it('stamps ExternalID zd:<tenant>:<ticket> and the connection’s queue', async () => {
    const { rows } = await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
    const connectionId = rows[0]!.id
    // A queue other than the picklist's default, so the default cannot pass for the setting.
    const queue = stack.sandbox.autotask.database().picklists.Ticket?.QueueID?.find((entry) => !entry.isDefault && entry.label === 'Level II Support')
    expect(queue).toBeDefined()
    await stack.app.tenants.saveConnectionSettings(connectionId, { queueId: queue!.value })
    try {
      const ticket = openTicket(stack, { clusterId: 'CL-1001' })
      await cycle(stack)
      const fields = (await autotaskTicketOf(stack, ticket.id))?.fields
      expect(fields?.ExternalID).toBe(`zd:${stack.accountId}:${ticket.id}`)
      expect(fields?.QueueID).toBe(queue!.value)
    } finally {
      await stack.app.tenants.saveConnectionSettings(connectionId, {})
    }
  })
})
