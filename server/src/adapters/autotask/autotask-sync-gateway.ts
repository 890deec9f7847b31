import { IntegrationError } from '../../errors/integration-error'
import { removeUnsafeCharacters, type PicklistOption, type TicketPicklists } from '@psa-link/shared'
import type {
  AutotaskGateway,
  AutotaskNote as EngineNote,
  AutotaskTicket as EngineTicket,
  WriteResult as EngineWriteResult,
} from '../../sync/ports/autotask-gateway'
import type { AutotaskSoapClient } from './autotask-soap-client'
import type { AutotaskPicklistEntry, AutotaskTicket, AutotaskTicketNote } from './autotask-types'
import type { WriteResult } from './batch-writes'

export interface AutotaskSyncGatewayOptions {
  client: AutotaskSoapClient
  /** Autotask's web UI origin, e.g. https://ww5.autotask.net; derived from the zone when absent. */
  webUrl?: string
}

/** The engine's AutotaskGateway over the SOAP client: SOAP's whole-object updates and names stay here. */
export function createAutotaskSyncGateway({ client, webUrl }: AutotaskSyncGatewayOptions): AutotaskGateway {
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
  const mapResults = <A, B>(results: WriteResult<A>[], map: (value: A) => B): EngineWriteResult<B>[] =>
    results.map((result) => (result.ok ? { ok: true, value: map(result.entity) } : { ok: false, error: result.error }))
  const options = (entries: AutotaskPicklistEntry[] | undefined): PicklistOption[] =>
    (entries ?? []).map((entry) => ({ value: entry.value, label: entry.label, isActive: entry.isActive, isDefault: entry.isDefault }))

  return {
    async findRoutes(clusterIds) {
      const products = await client.findInstalledProductsByReferenceNumbers(clusterIds)
      return products.map((product) => ({
        installedProductId: product.id,
        referenceNumber: product.referenceNumber,
        autotaskAccountId: product.accountId,
        active: product.active,
      }))
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
      // SOAP update replaces the whole object: re-read each ticket right before, change only the
      // fields PSA Link owns, and send everything else back as Autotask has it.
      const fresh = await client.findTicketsByIds(updates.map((update) => update.id))
      const byId = new Map(fresh.map((ticket) => [ticket.id, ticket]))
      const present = updates.filter((update) => byId.has(update.id))
      const merged = present.map((update) => {
        const ticket = byId.get(update.id)!
        const { changes } = update
        return {
          ...ticket,
          ...(changes.title !== undefined ? { title: changes.title } : {}),
          ...(changes.status !== undefined ? { status: changes.status } : {}),
          ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
          ...(changes.accountId !== undefined ? { accountId: changes.accountId } : {}),
          ...(changes.installedProductId !== undefined ? { installedProductId: changes.installedProductId } : {}),
        }
      })
      const results = mapResults(merged.length > 0 ? await client.updateTickets(merged) : [], toTicket)
      return updates.map((update) => {
        const index = present.indexOf(update)
        if (index >= 0) return results[index]!
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
      const ticket = await client.getPicklists('Ticket')
      const note = await client.getPicklists('TicketNote')
      return {
        priority: options(ticket.Priority),
        status: options(ticket.Status),
        queue: options(ticket.QueueID),
        source: options(ticket.Source),
        ticketType: options(ticket.TicketType),
        noteType: options(note.NoteType),
      }
    },

    async resourceNames(ids) {
      if (ids.length === 0) return new Map()
      const resources = await client.findResourcesByIds(ids)
      return new Map(resources.map((resource) => [resource.id, `${resource.firstName} ${resource.lastName}`.trim() || resource.userName]))
    },

    async accountNames(ids) {
      if (ids.length === 0) return new Map()
      return new Map((await client.findAccountsByIds(ids)).map((account) => [account.id, account.accountName]))
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
  return `${url.origin}${url.pathname.replace(/\/ATServices\/.*$/i, '')}`
}
