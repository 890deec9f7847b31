import { likelyHasAutotaskWork, orderByLikelyWork } from '../../../server/src/sync/order-by-likely-work'
import type { ConnectionContext } from '../../../server/src/sync/sync-context'
import type { TicketLink } from '../../../server/src/sync/ports/ticket-link-store'
import type { ZendeskTicket } from '../../../server/src/sync/ports/zendesk-gateway'
import { defaultMappings, makeZendeskTicket } from '../../helpers/engine-fixtures'

const connection = { id: 7, mappings: defaultMappings() } as ConnectionContext
const written = new Date('2026-12-03T06:00:00Z')
const makeTicket = (overrides: Partial<ZendeskTicket> = {}): ZendeskTicket => makeZendeskTicket({ updatedAt: written, ...overrides })
const makeLink = (overrides: Partial<TicketLink> = {}): TicketLink => ({
  id: 1,
  zendeskAccountId: 1,
  connectionId: 7,
  zendeskTicketId: 10,
  autotaskTicketId: 500,
  autotaskTicketNumber: 'T20261203.0001',
  externalId: 'zd:1:10',
  state: 'linked',
  synced: { title: 'Fan failure', priority: 2, status: 1, zendeskStatus: 'open', clusterId: 'cl-1', accountId: 3, installedProductId: 4 },
  lastSyncedAt: written,
  shownInZendesk: { ticketNumber: 'T20261203.0001', status: 'New' },
  zendeskWrittenAt: written,
  ...overrides,
})

describe('likelyHasAutotaskWork', () => {
  it('expects none when the ticket’s time is PSA Link’s own last update and no mapped field changed', () => {
    expect(likelyHasAutotaskWork(makeTicket(), makeLink(), connection)).toBe(false)
  })

  it('expects work when someone updated the ticket after PSA Link’s own last update', () => {
    expect(likelyHasAutotaskWork(makeTicket({ updatedAt: new Date(written.getTime() + 1000) }), makeLink(), connection)).toBe(true)
  })

  it('expects work when PSA Link never updated the Zendesk ticket', () => {
    expect(likelyHasAutotaskWork(makeTicket(), makeLink({ zendeskWrittenAt: null }), connection)).toBe(true)
  })

  it('expects work when a mapped field differs from the value last synced, whatever the time', () => {
    expect(likelyHasAutotaskWork(makeTicket({ subject: 'Fan failure, two units' }), makeLink(), connection)).toBe(true)
    expect(likelyHasAutotaskWork(makeTicket({ status: 'pending' }), makeLink(), connection)).toBe(true)
  })

  it('expects a create for an unlinked ticket with a Cluster ID, and nothing without one', () => {
    expect(likelyHasAutotaskWork(makeTicket(), undefined, undefined)).toBe(true)
    expect(likelyHasAutotaskWork(makeTicket({ clusterId: '  ' }), undefined, undefined)).toBe(false)
  })

  it('expects work for an interrupted create and none for a closed or broken link', () => {
    expect(likelyHasAutotaskWork(makeTicket(), makeLink({ state: 'pending', autotaskTicketId: null }), connection)).toBe(true)
    expect(likelyHasAutotaskWork(makeTicket({ updatedAt: new Date(written.getTime() + 1000) }), makeLink({ state: 'closed' }), connection)).toBe(false)
    expect(likelyHasAutotaskWork(makeTicket({ updatedAt: new Date(written.getTime() + 1000) }), makeLink({ state: 'broken' }), connection)).toBe(false)
  })
})

describe('orderByLikelyWork', () => {
  it('puts the tickets likely to have work first and keeps the given order within each part', () => {
    const later = new Date(written.getTime() + 1000)
    const tickets = [1, 2, 3, 4, 5].map((id) => makeTicket({ id, updatedAt: id % 2 === 0 ? later : written }))
    const links = new Map(tickets.map((ticket) => [ticket.id, makeLink({ id: ticket.id, zendeskTicketId: ticket.id })]))
    expect(orderByLikelyWork(tickets, links, [connection])).toEqual([2, 4, 1, 3, 5])
  })

  it('keeps every ticket, work or not', () => {
    const tickets = [3, 1, 2].map((id) => makeTicket({ id }))
    expect(orderByLikelyWork(tickets, new Map(), [connection]).sort()).toEqual([1, 2, 3])
  })
})
