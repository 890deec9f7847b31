import { resolveMappings, type PicklistOption } from '@psa-link/shared'
import { planFieldChanges } from '../../../server/src/sync/plan-fields'
import type { ZendeskTicket } from '../../../server/src/sync/ports/zendesk-gateway'

const option = (value: number, label: string): PicklistOption => ({ value, label, isActive: true })
const resolved = resolveMappings(
  {},
  {
    priority: [option(1, 'High'), option(2, 'Medium'), option(3, 'Low'), option(4, 'Critical')],
    status: [option(1, 'New'), option(5, 'Complete'), option(7, 'Waiting Customer'), option(8, 'In Progress'), option(9, 'Waiting Vendor')],
    queue: [],
    source: [],
    ticketType: [],
    noteType: [option(1, 'Task Notes')],
  },
)
if (!resolved.ok) throw new Error('test mappings must resolve')
const makeTicket = (overrides: Partial<ZendeskTicket> = {}): ZendeskTicket => ({
  id: 10,
  subject: 'Fan failure',
  status: 'open',
  priority: 'normal',
  clusterId: 'CL-1',
  tags: [],
  followUpOf: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
})
const synced = { title: 'Fan failure', priority: 2, status: 1, zendeskStatus: 'open', clusterId: 'cl-1', accountId: 3, installedProductId: 4 }

describe('planFieldChanges', () => {
  it('pushes nothing when no mapped Zendesk value changed', () => {
    expect(planFieldChanges(makeTicket(), synced, resolved.mappings, null).changes).toEqual({})
  })

  it('keeps Autotask New until Zendesk’s own status changes', () => {
    expect(planFieldChanges(makeTicket({ status: 'open' }), { ...synced, status: 1, zendeskStatus: 'open' }, resolved.mappings, null).changes).toEqual({})
    expect(planFieldChanges(makeTicket({ status: 'pending' }), synced, resolved.mappings, null).changes).toEqual({ status: 7 })
  })

  it('pushes nothing for solved → closed but records the new Zendesk status', () => {
    const plan = planFieldChanges(makeTicket({ status: 'closed' }), { ...synced, status: 5, zendeskStatus: 'solved' }, resolved.mappings, null)
    expect(plan.changes).toEqual({})
    expect(plan.seen.zendeskStatus).toBe('closed')
  })

  it('pushes title and priority when they change, and the route when re-routed', () => {
    const plan = planFieldChanges(makeTicket({ subject: 'PSU failure', priority: 'urgent' }), synced, resolved.mappings, {
      accountId: 8,
      installedProductId: 9,
    })
    expect(plan.changes).toEqual({ title: 'PSU failure', priority: 4, accountId: 8, installedProductId: 9 })
  })
})
