import { IntegrationError } from '../../errors/integration-error'
import { removeUnsafeCharacters, type PicklistOption, type TicketPicklists } from '@psa-link/shared'
import type {
  AutotaskGateway,
  AutotaskNote as EngineNote,
  AutotaskTicket as EngineTicket,
  WriteResult as EngineWriteResult,
} from '../../sync/ports/autotask-gateway'
import type { AutotaskPicklistEntry, AutotaskTicket, AutotaskTicketNote } from '../autotask/autotask-types'
import type { AutotaskRestClient, RestWriteResult } from './autotask-rest-client'

export interface AutotaskRestGatewayOptions {
  client: AutotaskRestClient
  /** Autotask's web UI origin, e.g. https://ww5.autotask.net; derived from the zone when absent. */
  webUrl?: string
}

const noMatchingRecord = /no matching records? found/i

/**
 * The engine's AutotaskGateway over the REST client: one create per call (so a bad record fails
 * alone), updates as PATCH of only the fields PSA Link owns, REST's names kept in here.
 */
export function createAutotaskRestGateway({ client, webUrl }: AutotaskRestGatewayOptions): AutotaskGateway {
  const toTicket = (ticket: AutotaskTicket): EngineTicket => ({
    id: ticket.id,
    ticketNumber: ticket.ticketNumber,
    title: removeUnsafeCharacters(ticket.title),
    description: ticket.description ? removeUnsafeCharacters(ticket.description) : null,
    accountId: ticket.accountId,
    installedProductId: ticket.installedProductId,
    status: ticket.status,
    priority: ticket.priority,
    queueId: ticket.queueId,
    dueDateTime: ticket.dueDateTime,
    externalId: ticket.externalId || null,
    createDate: ticket.createDate,
    lastActivityDate: ticket.lastActivityDate,
  })
  const toNote = (note: AutotaskTicketNote): EngineNote => ({
    id: note.id,
    ticketId: note.ticketId,
    title: note.title ? removeUnsafeCharacters(note.title) : null,
    description: removeUnsafeCharacters(note.description),
    noteType: note.noteType,
    publish: note.publish,
    creatorResourceId: note.creatorResourceId,
    createdAt: note.createDateTime ?? note.lastActivityDate ?? new Date(0),
    lastActivityDate: note.lastActivityDate,
  })
  const mapResults = <A, B>(results: RestWriteResult<A>[], map: (value: A) => B): EngineWriteResult<B>[] =>
    results.map((result) => (result.ok ? { ok: true, value: map(result.entity) } : { ok: false, error: result.error }))
  const options = (entries: AutotaskPicklistEntry[] | undefined): PicklistOption[] =>
    (entries ?? []).map((entry) => ({ value: entry.value, label: entry.label, isActive: entry.isActive, isDefault: entry.isDefault }))

  return {
    async findRoutes(clusterIds) {
      const items = await client.findConfigurationItemsByReferenceNumbers(clusterIds)
      return items.map((item) => ({ installedProductId: item.id, referenceNumber: item.referenceNumber, autotaskAccountId: item.accountId, active: item.active }))
    },

    async getTickets(ids) {
      return ids.length === 0 ? [] : (await client.findTicketsByIds(ids)).map(toTicket)
    },

    async findTicketsByNumbers(ticketNumbers) {
      return ticketNumbers.length === 0 ? [] : (await client.findTicketsByNumbers(ticketNumbers)).map(toTicket)
    },

    async findTicketsByExternalIds(externalIds) {
      return externalIds.length === 0 ? [] : (await client.findTicketsByExternalIds(externalIds)).map(toTicket)
    },

    async createTickets(tickets) {
      const results = await client.createTickets(
        tickets.map((ticket) => ({
          title: ticket.title,
          description: ticket.description,
          accountId: ticket.accountId,
          installedProductId: ticket.installedProductId,
          status: ticket.status,
          priority: ticket.priority,
          queueId: ticket.queueId,
          dueDateTime: ticket.dueDateTime,
          source: ticket.sourceId,
          ticketType: ticket.ticketTypeId,
          externalId: ticket.externalId,
        })),
      )
      return mapResults(results, toTicket)
    },

    async updateTickets(updates) {
      if (updates.length === 0) return []
      // PATCH writes only what it is sent, so a technician's other edits stay without a read first.
      const results = await client.patchTickets(updates.map(({ id, changes }) => ({ id, ...changes })))
      return updates.map((update, index): EngineWriteResult<EngineTicket> => {
        const result = results[index]
        if (result?.ok) return { ok: true, value: toTicket(result.entity) }
        if (result && !noMatchingRecord.test(result.error.remoteMessage)) return { ok: false, error: result.error }
        return {
          ok: false,
          error: new IntegrationError({ system: 'autotask', code: 'not_found', retryable: false, remoteMessage: `Ticket ${update.id} does not exist in Autotask.` }),
        }
      })
    },

    async findNotesByTicketIds(ticketIds) {
      return ticketIds.length === 0 ? [] : (await client.findNotesByTicketIds(ticketIds)).map(toNote)
    },

    async findNotesChangedSince(since) {
      return (await client.findNotesChangedSince(since)).map(toNote)
    },

    async findTicketsChangedSince(since) {
      return (await client.findTicketsChangedSince(since)).map(toTicket)
    },

    async createNotes(notes) {
      return mapResults(await client.createNotes(notes), toNote)
    },

    async getPicklists(): Promise<TicketPicklists> {
      const ticket = await client.getPicklists('Tickets')
      const note = await client.getPicklists('TicketNotes')
      return {
        priority: options(ticket.priority),
        status: options(ticket.status),
        queue: options(ticket.queueID),
        source: options(ticket.source),
        ticketType: options(ticket.ticketType),
        noteType: options(note.noteType),
      }
    },

    async resourceNames(ids) {
      if (ids.length === 0) return new Map()
      const resources = await client.findResourcesByIds(ids)
      return new Map(resources.map((resource) => [resource.id, `${resource.firstName} ${resource.lastName}`.trim() || resource.userName]))
    },

    async accountNames(ids) {
      if (ids.length === 0) return new Map()
      return new Map((await client.findCompaniesByIds(ids)).map((company) => [company.id, company.accountName]))
    },

    ticketUrl(ticketId) {
      return `${webUrl ?? webUrlFromZone(client.zoneUrl)}/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&ticketId=${ticketId}`
    },
  }
}

/** Autotask's zones pair webservicesN.autotask.net (API) with wwN.autotask.net (web UI). */
function webUrlFromZone(zoneUrl: string | undefined): string {
  if (!zoneUrl) return 'https://ww1.autotask.net'
  const url = new URL(zoneUrl)
  const zone = /^webservices(\d*)\./.exec(url.hostname)
  if (zone) return `https://ww${zone[1] || '1'}.autotask.net`
  return `${url.origin}${url.pathname.replace(/\/ATServicesRest\/.*$/i, '')}`
}
