import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import { autotaskTicketOf, autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// server/src/sync/README.md R1 (eligibility) and R2 (routing), over real HTTP.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

describe('rule 1: eligibility', () => {
  it('creates an Autotask ticket when the Cluster ID is set and the connection is ready', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    expect((await linkOf(stack, ticket.id))?.state).toBe('linked')
    expect(autotaskTicketsFor(stack, ticket.id)).toHaveLength(1)
  })

  it('creates nothing and says so when the Cluster ID is empty or blank', async () => {
    const none = openTicket(stack, { clusterId: null })
    const blank = openTicket(stack, { clusterId: '   ' })
    await cycle(stack)
    for (const ticket of [none, blank]) {
      expect(await linkOf(stack, ticket.id)).toBeUndefined()
      expect(await stateOf(stack, ticket.id)).toMatchObject({ state: 'not_eligible', message: 'This ticket has no Cluster ID.' })
    }
  })

  it('does not link a ticket that is already solved when it becomes eligible', async () => {
    const solved = openTicket(stack, { clusterId: 'CL-1001', status: 'solved' })
    await cycle(stack)
    expect(await linkOf(stack, solved.id)).toBeUndefined()
    expect((await stateOf(stack, solved.id))?.state).toBe('not_eligible')
    expect(autotaskTicketsFor(stack, solved.id)).toHaveLength(0)
  })

  it('waits while the connection’s mappings are invalid and syncs once they are fixed', async () => {
    const { rows } = await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
    const connectionId = rows[0]!.id
    await stack.app.tenants.saveConnectionSettings(connectionId, { priority: { urgent: 9999 } })
    const ticket = openTicket(stack, { clusterId: 'CL-1002', priority: 'urgent' })
    await cycle(stack)
    expect(await linkOf(stack, ticket.id)).toBeUndefined()
    const waiting = await stateOf(stack, ticket.id)
    expect(waiting?.state).toBe('not_eligible')
    expect(waiting?.message).toContain('priority.urgent: 9999 is not a value of this Autotask picklist')
    expect(waiting?.dirty_since).not.toBeNull()

    await stack.app.tenants.saveConnectionSettings(connectionId, {})
    await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE zendesk_ticket_id = $1', [ticket.id])
    await cycle(stack)
    expect((await linkOf(stack, ticket.id))?.state).toBe('linked')
  })
})

describe('rule 2: routing by Cluster ID', () => {
  it('matches the ReferenceNumber ignoring case and spaces and sets AccountID and InstalledProductID', async () => {
    const ticket = openTicket(stack, { clusterId: '  cl-1003 ' })
    await cycle(stack)
    const autotask = await autotaskTicketOf(stack, ticket.id)
    const product = [...stack.sandbox.autotask.database().records.InstalledProduct.values()].find((record) => record.fields.ReferenceNumber === 'CL-1003')!
    expect(autotask?.fields.AccountID).toBe(product.fields.AccountID)
    expect(autotask?.fields.InstalledProductID).toBe(product.id)
  })

  it('leaves an unknown Cluster ID unrouted with a message, and links it once Autotask registers it', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-4242' })
    await cycle(stack)
    expect(await stateOf(stack, ticket.id)).toMatchObject({ state: 'unrouted', message: 'Cluster ID CL-4242 is not registered in Autotask.' })
    expect(autotaskTicketsFor(stack, ticket.id)).toHaveLength(0)

    const database = stack.sandbox.autotask.database()
    const accountId = [...database.records.Account.values()][0]!.id
    database.insert('InstalledProduct', {
      AccountID: accountId,
      ProductID: [...database.records.InstalledProduct.values()][0]!.fields.ProductID ?? null,
      ReferenceNumber: 'CL-4242',
      Active: true,
    })
    await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE zendesk_ticket_id = $1', [ticket.id])
    await cycle(stack)
    expect((await linkOf(stack, ticket.id))?.state).toBe('linked')
  })

  it('creates nothing for a Cluster ID with two active products and lists the candidates', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1005' })
    await cycle(stack)
    const state = await stateOf(stack, ticket.id)
    expect(state?.state).toBe('ambiguous')
    expect(state?.candidates).toHaveLength(2)
    expect(autotaskTicketsFor(stack, ticket.id)).toHaveLength(0)
  })

  it('ignores an inactive product', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1004' })
    await cycle(stack)
    expect((await stateOf(stack, ticket.id))?.state).toBe('unrouted')
  })

  it('pushes the new AccountID and InstalledProductID when the Cluster ID changes within the connection', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    stack.sandbox.zendesk.updateTicket(ticket.id, { clusterId: 'CL-1006' })
    await cycle(stack)
    const product = [...stack.sandbox.autotask.database().records.InstalledProduct.values()].find((record) => record.fields.ReferenceNumber === 'CL-1006')!
    const autotask = await autotaskTicketOf(stack, ticket.id)
    expect(autotask?.fields.InstalledProductID).toBe(product.id)
    expect(autotask?.fields.AccountID).toBe(product.fields.AccountID)
    expect(autotaskTicketsFor(stack, ticket.id)).toHaveLength(1)
  })

  it('keeps the ticket where it is when the new Cluster ID is unknown', async () => {
    const ticket = openTicket(stack, { clusterId: 'CL-1001' })
    await cycle(stack)
    const before = await autotaskTicketOf(stack, ticket.id)
    // The subject changes with it: its new title proves the cycle handled this update.
    stack.sandbox.zendesk.updateTicket(ticket.id, { clusterId: 'CL-0000', subject: 'Moved to an unknown cluster' })
    await cycle(stack)
    const after = await autotaskTicketOf(stack, ticket.id)
    expect(after?.fields.Title).toBe('Moved to an unknown cluster')
    expect(after?.fields.AccountID).toBe(before?.fields.AccountID)
    expect(after?.fields.InstalledProductID).toBe(before?.fields.InstalledProductID)
  })
})
