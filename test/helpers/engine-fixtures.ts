import { resolveMappings, type PicklistOption, type ResolvedMappings } from '@psa-link/shared'
import type { ZendeskTicket } from '../../server/src/sync/ports/zendesk-gateway'

/** An active picklist option. */
export const picklistOption = (value: number, label: string): PicklistOption => ({ value, label, isActive: true })
const option = picklistOption

/** A connection's mappings resolved against the default picklists (by label), for pure engine tests. */
export function defaultMappings(noteTypes: PicklistOption[] = [option(1, 'Task Notes')]): ResolvedMappings {
  const resolved = resolveMappings(
    {},
    {
      priority: [option(1, 'High'), option(2, 'Medium'), option(3, 'Low'), option(4, 'Critical')],
      status: [option(1, 'New'), option(5, 'Complete'), option(7, 'Waiting Customer'), option(8, 'In Progress'), option(9, 'Waiting Vendor')],
      queue: [],
      source: [],
      ticketType: [],
      noteType: noteTypes,
    },
  )
  if (!resolved.ok) throw new Error('test mappings must resolve')
  return resolved.mappings
}

/** A Zendesk ticket as the engine sees it. */
export const makeZendeskTicket = (overrides: Partial<ZendeskTicket> = {}): ZendeskTicket => ({
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
