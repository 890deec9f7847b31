import type { TicketPicklists } from '@psa-link/shared'
import type { AutotaskGateway } from '../../../sync/ports/autotask-gateway'
import type { AutotaskSoapClient } from './soap-client'
import { picklistOptions, ticketDetailUrl, ticketNotFound, toEngineResults, toEngineRoute, toEngineTicket } from '../core/engine-records'
import { createGatewayMemory, nameMethods, noteMethods, ticketMethods, type GatewayMemoryOptions } from '../core/gateway-parts'
import { easternScanOverlapSeconds } from './scan-overlap'

export interface AutotaskSoapGatewayOptions extends GatewayMemoryOptions {
  client: AutotaskSoapClient
  /** Autotask's web UI origin, e.g. https://ww5.autotask.net; derived from the zone when absent. */
  webUrl?: string
}

/** The engine's AutotaskGateway over the SOAP client: SOAP's whole-object updates and names stay here. */
export function createAutotaskSoapGateway(options: AutotaskSoapGatewayOptions): AutotaskGateway {
  const { client, webUrl } = options
  const memory = createGatewayMemory(options, () => client.findOwnResource())
  return {
    entitiesPerCreate: 200,
    scanOverlapSeconds: easternScanOverlapSeconds,
    ...ticketMethods(client, memory),
    ...noteMethods(client, memory),
    ...nameMethods({ resources: (ids) => client.findResourcesByIds(ids), accounts: (ids) => client.findAccountsByIds(ids) }),

    async searchAccounts(text, limit) {
      return (await client.searchAccountsByName(text, limit)).map((account) => ({ id: account.id, name: account.accountName }))
    },

    async findRoutes(clusterIds) {
      const products = await client.findInstalledProductsByReferenceNumbers(clusterIds)
      return products.map(toEngineRoute)
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
      const written = merged.length > 0 ? await client.updateTickets(merged) : []
      memory.ownWrites.remember(written.flatMap((result) => (result.ok ? [result.entity] : [])))
      const results = toEngineResults(written, toEngineTicket)
      return updates.map((update) => {
        const index = present.indexOf(update)
        if (index >= 0) return results[index]!
        return { ok: false, error: ticketNotFound(update.id) }
      })
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

    ticketUrl(ticketId) {
      return ticketDetailUrl(ticketId, webUrl, client.zoneUrl)
    },
  }
}
