import { IntegrationError } from '../../errors/integration-error'
import type { TicketPicklists } from '@psa-link/shared'
import type { AutotaskGateway } from '../../sync/ports/autotask-gateway'
import type { AutotaskSoapClient } from './autotask-soap-client'
import { createOwnNotesFilter, picklistOptions, resourceName, ticketDetailUrl, toEngineNote, toEngineResults, toEngineTicket } from './engine-records'
import { createNameCache } from './name-cache'

export interface AutotaskSyncGatewayOptions {
  client: AutotaskSoapClient
  /** Autotask's web UI origin, e.g. https://ww5.autotask.net; derived from the zone when absent. */
  webUrl?: string
}

/** The engine's AutotaskGateway over the SOAP client: SOAP's whole-object updates and names stay here. */
export function createAutotaskSyncGateway({ client, webUrl }: AutotaskSyncGatewayOptions): AutotaskGateway {
  const ownNotes = createOwnNotesFilter((ids) => client.findNotesByIds(ids))
  const resourceNames = createNameCache(async (ids) => new Map((await client.findResourcesByIds(ids)).map((resource) => [resource.id, resourceName(resource)])))
  const accountNames = createNameCache(async (ids) => new Map((await client.findAccountsByIds(ids)).map((account) => [account.id, account.accountName])))

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
      return ids.length === 0 ? [] : (await client.findTicketsByIds(ids)).map(toEngineTicket)
    },

    async findTicketsByNumbers(ticketNumbers) {
      return ticketNumbers.length === 0 ? [] : (await client.findTicketsByNumbers(ticketNumbers)).map(toEngineTicket)
    },

    async findTicketsByExternalIds(externalIds) {
      return externalIds.length === 0 ? [] : (await client.findTicketsByExternalIds(externalIds)).map(toEngineTicket)
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
      return toEngineResults(results, toEngineTicket)
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
      const results = toEngineResults(merged.length > 0 ? await client.updateTickets(merged) : [], toEngineTicket)
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
      return ticketIds.length === 0 ? [] : (await client.findNotesByTicketIds(ticketIds)).map(toEngineNote)
    },

    async findNotesChangedSince(since) {
      return (await client.findNotesChangedSince(since, undefined, ownNotes.exclude())).map(toEngineNote)
    },

    async findTicketsChangedSince(since) {
      return (await client.findTicketsChangedSince(since)).map(toEngineTicket)
    },

    async createNotes(notes) {
      const results = await client.createNotes(notes)
      await ownNotes.learnFrom(results)
      return toEngineResults(results, (note) => ({ id: note.id }))
    },

    async getPicklists(): Promise<TicketPicklists> {
      const ticket = await client.getPicklists('Ticket')
      const note = await client.getPicklists('TicketNote')
      return {
        priority: picklistOptions(ticket.Priority),
        status: picklistOptions(ticket.Status),
        queue: picklistOptions(ticket.QueueID),
        source: picklistOptions(ticket.Source),
        ticketType: picklistOptions(ticket.TicketType),
        noteType: picklistOptions(note.NoteType),
      }
    },

    resourceNames: (ids) => resourceNames(ids),
    accountNames: (ids) => accountNames(ids),

    ticketUrl(ticketId) {
      return ticketDetailUrl(ticketId, webUrl, client.zoneUrl)
    },
  }
}

