import { planFieldChanges } from '../../../server/src/sync/plan-fields'
import { defaultMappings, makeZendeskTicket as makeTicket } from '../../helpers/engine-fixtures'

const mappings = defaultMappings()
const synced = { title: 'Fan failure', priority: 2, status: 1, zendeskStatus: 'open', clusterId: 'cl-1', accountId: 3, installedProductId: 4 }

describe('planFieldChanges', () => {
  it('pushes nothing when no mapped Zendesk value changed', () => {
    expect(planFieldChanges(makeTicket(), synced, mappings, null).changes).toEqual({})
  })

  it('keeps Autotask New until Zendesk’s own status changes', () => {
    expect(planFieldChanges(makeTicket({ status: 'open' }), { ...synced, status: 1, zendeskStatus: 'open' }, mappings, null).changes).toEqual({})
    expect(planFieldChanges(makeTicket({ status: 'pending' }), synced, mappings, null).changes).toEqual({ status: 7 })
  })

  it('pushes nothing for solved → closed but records the new Zendesk status', () => {
    const plan = planFieldChanges(makeTicket({ status: 'closed' }), { ...synced, status: 5, zendeskStatus: 'solved' }, mappings, null)
    expect(plan.changes).toEqual({})
    expect(plan.seen.zendeskStatus).toBe('closed')
  })

  it('pushes title and priority when they change, and the route when re-routed', () => {
    const plan = planFieldChanges(makeTicket({ subject: 'PSU failure', priority: 'urgent' }), synced, mappings, {
      accountId: 8,
      installedProductId: 9,
    })
    expect(plan.changes).toEqual({ title: 'PSU failure', priority: 4, accountId: 8, installedProductId: 9 })
  })
})
