import { resolveMappings, type PicklistOption, type TicketPicklists } from '@psa-link/shared'

const option = (value: number, label: string, isActive = true): PicklistOption => ({ value, label, isActive })

const defaults: TicketPicklists = {
  priority: [option(1, 'High'), option(2, 'Medium'), option(3, 'Low'), option(4, 'Critical')],
  status: [option(1, 'New'), option(5, 'Complete'), option(7, 'Waiting Customer'), option(8, 'In Progress'), option(9, 'Waiting Vendor')],
  queue: [option(29682833, 'Client Portal'), option(8, 'Level I Support', false)],
  source: [option(2, 'Phone'), option(4, 'Web Portal')],
  ticketType: [option(1, 'Service Request'), option(2, 'Incident')],
  noteType: [option(1, 'Task Summary'), option(3, 'Task Notes'), option(13, 'Workflow Rule Note'), option(18, 'RMM Note')],
}

describe('resolveMappings', () => {
  it('maps Zendesk values by the default labels when nothing is configured', () => {
    const result = resolveMappings({}, defaults)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.mappings.priority).toEqual({ low: 3, normal: 2, high: 1, urgent: 4 })
    expect(result.mappings.status).toEqual({ new: 1, open: 8, pending: 7, hold: 9, solved: 5, closed: 5 })
    expect(result.mappings.defaultPriority).toBe(2)
    expect(result.mappings.dueHours.urgent).toBe(4)
    expect([...result.mappings.noteTypesToZendesk].sort()).toEqual([1, 3])
  })

  it('finds the default labels at other ids when the tenant numbers its picklists differently', () => {
    const shifted: TicketPicklists = {
      ...defaults,
      priority: [option(11, 'High'), option(12, 'Medium'), option(13, 'Low'), option(14, 'Critical')],
    }
    const result = resolveMappings({}, shifted)
    expect(result.ok && result.mappings.priority).toEqual({ low: 13, normal: 12, high: 11, urgent: 14 })
  })

  it('names each bad setting when an id is unknown or inactive', () => {
    const result = resolveMappings({ priority: { urgent: 99 }, queueId: 8 }, defaults)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual([
      { setting: 'priority.urgent', message: expect.stringContaining('99 is not a value of this Autotask picklist') },
      { setting: 'queueId', message: 'Level I Support (8) is inactive in Autotask' },
    ])
  })
})
