import { addAutotaskNoteAs, autotaskResourceIdByEmail } from '../../helpers/acting-for-people'
import { cycle, linkOf, syncOne } from '../../helpers/sync-driver'
import { openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { sidebarToken } from '../api/api-stack'
import { SHOW_LINKS_AT_ONCE } from '../../../server/src/sync/show-links-in-zendesk'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { ticketsOrDeleted } from '../../../server/src/sync/read-zendesk-tickets'
import { syncTickets } from '../../../server/src/sync/sync-tickets'
import { eventually } from '../../helpers/until'

// Zendesk-side visibility (issue 16): the linked Autotask ticket's number and status in PSA Link's
// two ticket fields and the psa_link_linked tag, written only on change, within Zendesk's budget.
let stack: TestStack
let fields: { number: number; status: number }
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
  const { rows } = await stack.database.pool.query('SELECT autotask_number_field_id, autotask_status_field_id FROM zendesk_accounts WHERE id = $1', [
    stack.accountId,
  ])
  fields = { number: Number(rows[0].autotask_number_field_id), status: Number(rows[0].autotask_status_field_id) }
})
afterAll(async () => {
  await stack?.close()
})

const STATUS = { inProgress: 8, waitingCustomer: 7 }
const autotaskRestUrl = () => `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
/** Ticket updates PSA Link sent to Zendesk (comments and field writes alike). */
const ticketUpdates = () => stack.sandbox.zendesk.counters()['PUT /api/v2/tickets/:id'] ?? 0
const shown = (ticketId: number) => {
  const ticket = stack.sandbox.zendesk.ticket(ticketId)!
  return { number: ticket.customFields.get(fields.number) ?? null, status: ticket.customFields.get(fields.status) ?? null, tags: ticket.tags }
}
const setShowLinks = (enabled: boolean) =>
  stack.database.pool.query('UPDATE zendesk_accounts SET show_links_in_zendesk = $2 WHERE id = $1', [stack.accountId, enabled])

async function linkedTicket() {
  const ticket = openTicket(stack, { clusterId: 'CL-1001', tags: ['vip'] })
  await cycle(stack)
  const link = await linkOf(stack, ticket.id)
  return { ticket, link: link! }
}

describe('Zendesk-side visibility', () => {
  it('creates its two ticket fields in Zendesk when the account is set up', () => {
    const titles = new Map([...stack.sandbox.zendesk.state().store.ticketFields.values()].map((field) => [field.id, field.title]))
    expect(titles.get(fields.number)).toBe('Autotask ticket number')
    expect(titles.get(fields.status)).toBe('Autotask status')
  })

  it('writes the Autotask number and status label and tags the ticket, keeping its tags, when it links', async () => {
    const { ticket, link } = await linkedTicket()
    expect(shown(ticket.id)).toEqual({ number: link.autotask_ticket_number, status: 'New', tags: expect.arrayContaining(['vip', 'psa_link_linked']) })
  })

  it('writes nothing more when its own update comes back in the export, nor in an unchanged cycle', async () => {
    const { ticket } = await linkedTicket()
    const before = ticketUpdates()
    const commentReads = () => stack.sandbox.zendesk.counters()['GET /api/v2/tickets/:id/comments'] ?? 0
    // The export lists the ticket again after PSA Link's own update: one comment read, no write.
    await cycle(stack)
    const readsBefore = commentReads()
    await cycle(stack)
    expect(ticketUpdates()).toBe(before)
    expect(commentReads()).toBe(readsBefore)
    expect(shown(ticket.id).tags).toContain('psa_link_linked')
  })

  it('updates the status field once when a technician changes the Autotask status', async () => {
    const { ticket, link } = await linkedTicket()
    const technician = await autotaskResourceIdByEmail(autotaskRestUrl(), 'tara.nguyen@demo.test')
    const before = ticketUpdates()
    stack.sandbox.autotask.editTicket(link.autotask_ticket_id, { Status: STATUS.inProgress }, 'demo', technician)
    await cycle(stack)
    await cycle(stack)
    expect(shown(ticket.id).status).toBe('In Progress')
    expect(shown(ticket.id).number).toBe(link.autotask_ticket_number)
    expect(ticketUpdates()).toBe(before + 1)
  })

  it('carries a status change in the update of a technician’s note going to Zendesk in the same pass', async () => {
    const { ticket, link } = await linkedTicket()
    const technician = await autotaskResourceIdByEmail(autotaskRestUrl(), 'tara.nguyen@demo.test')
    // The export's echo of the link's own update is behind us: the next pass is the Autotask scan's.
    await cycle(stack)
    const before = ticketUpdates()
    stack.sandbox.autotask.editTicket(link.autotask_ticket_id, { Status: STATUS.waitingCustomer }, 'demo', technician)
    await addAutotaskNoteAs(autotaskRestUrl(), { ticketId: link.autotask_ticket_id, resourceId: technician, title: 'Waiting', description: 'Asked for logs.' })
    await cycle(stack)
    expect(stack.sandbox.zendesk.ticket(ticket.id)!.comments.some((comment) => comment.body.includes('Asked for logs.'))).toBe(true)
    expect(shown(ticket.id).status).toBe('Waiting Customer')
    expect(ticketUpdates()).toBe(before + 1)
  })

  it('removes the tag and clears both fields, keeping the ticket’s other tags, when the ticket is unlinked from the sidebar', async () => {
    await stack.database.pool.query("UPDATE zendesk_accounts SET sidebar_manual_link = 'agents' WHERE id = $1", [stack.accountId])
    const { ticket } = await linkedTicket()
    const response = await fetch(`${stack.origin}/api/v1/tickets/${ticket.id}/unlink`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sidebarToken(ticket.id, { claims: { user_id: stack.sandbox.zendesk.agents()[0]!.id } })}`,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    expect(response.status).toBe(200)
    expect(shown(ticket.id)).toEqual({ number: null, status: null, tags: ['vip'] })
    // Closed links are not shown again by later cycles.
    const before = ticketUpdates()
    await cycle(stack)
    expect(ticketUpdates()).toBe(before)
  })

  it('writes nothing to Zendesk when the account has it switched off', async () => {
    await setShowLinks(false)
    try {
      const before = ticketUpdates()
      const { ticket, link } = await linkedTicket()
      stack.sandbox.autotask.editTicket(link.autotask_ticket_id, { Status: STATUS.inProgress })
      await cycle(stack)
      await syncOne(stack, ticket.id)
      expect(link.autotask_ticket_number).toBeTruthy()
      expect(shown(ticket.id)).toEqual({ number: null, status: null, tags: ['vip'] })
      expect(ticketUpdates()).toBe(before)
    } finally {
      await setShowLinks(true)
    }
  })

  it('shows a link not shown yet when an agent next changes the ticket, though nothing else is to do on Autotask', async () => {
    await setShowLinks(false)
    let linked
    try {
      linked = await linkedTicket()
    } finally {
      await setShowLinks(true)
    }
    const { ticket, link } = linked
    expect(shown(ticket.id).number).toBeNull()
    // A change with no Autotask work of its own (a cycle reads no Autotask ticket for those).
    stack.sandbox.zendesk.updateTicket(ticket.id, { tags: ['vip', 'escalated'] }, stack.sandbox.zendesk.agents()[0]!.id)
    await cycle(stack)
    expect(shown(ticket.id)).toEqual({
      number: link.autotask_ticket_number,
      status: 'New',
      tags: expect.arrayContaining(['vip', 'escalated', 'psa_link_linked']),
    })
  })

  it('writes a pass’s new links to Zendesk a few tickets at a time', async () => {
    const tickets = Array.from({ length: SHOW_LINKS_AT_ONCE + 2 }, (_, index) =>
      openTicket(stack, { clusterId: 'CL-1001', subject: `Shown together ${index + 1}` }),
    )
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let waiting = 0
    // Zendesk's answer to each shown-link update held until released, each waiting one counted.
    const zendesk = new Proxy(base.zendesk, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown
        if (property !== 'showLink' || typeof value !== 'function') return value
        return async (...args: unknown[]) => {
          waiting += 1
          await released
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const context: SyncContext = { ...base, zendesk }
    const ids = tickets.map((ticket) => ticket.id)
    const syncing = syncTickets(context, { tickets: await ticketsOrDeleted(context, ids), full: true, nextCycleAt: new Date(Date.now() + 300_000) })
    try {
      // One ticket after another, only one update would ever be waiting.
      await eventually(() => waiting === SHOW_LINKS_AT_ONCE, 10_000, `${SHOW_LINKS_AT_ONCE} shown-link updates waiting at once`)
    } finally {
      release()
    }
    const outcomes = await syncing
    for (const ticket of tickets) {
      expect(outcomes.get(ticket.id)?.state).toBe('linked')
      const link = await linkOf(stack, ticket.id)
      expect(shown(ticket.id)).toMatchObject({ number: link!.autotask_ticket_number, status: 'New', tags: expect.arrayContaining(['psa_link_linked']) })
    }
  })
})
