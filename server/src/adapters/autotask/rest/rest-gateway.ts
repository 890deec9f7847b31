import type { TicketPicklists } from '@psa-link/shared'
import type { AutotaskGateway, AutotaskTicket, WriteResult } from '../../../sync/ports/autotask-gateway'
import { picklistOptions, ticketDetailUrl, ticketNotFound, toEngineRoute, toEngineTicket } from '../core/engine-records'
import { createGatewayMemory, nameMethods, noteMethods, ticketMethods, type GatewayMemoryOptions } from '../core/gateway-parts'
import type { AutotaskRestClient } from './rest-client'
import { LAST_ACTIVITY_OVERLAP_SECONDS } from '../core/last-activity-overlap'

export interface AutotaskRestGatewayOptions extends GatewayMemoryOptions {
  client: AutotaskRestClient
  /** Autotask's web UI origin, e.g. https://ww5.autotask.net; derived from the zone when absent. */
  webUrl?: string
}

const noMatchingRecord = /no matching records? found/i

/**
 * The engine's AutotaskGateway over the REST client: one create per call (so a bad record fails
 * alone), updates as PATCH of only the fields PSA Link owns, REST's names kept in here.
 */
export function createAutotaskRestGateway(options: AutotaskRestGatewayOptions): AutotaskGateway {
  const { client, webUrl } = options
  const memory = createGatewayMemory(options, () => client.findOwnResource())
  return {
    entitiesPerCreate: 1,
    // REST datetimes are UTC with an offset (rest-entity-mapping.ts): no hour happens twice.
    scanOverlapSeconds: () => LAST_ACTIVITY_OVERLAP_SECONDS,
    ...ticketMethods(client, memory),
    ...noteMethods(client, memory),
    ...nameMethods({ resources: (ids) => client.findResourcesByIds(ids), accounts: (ids) => client.findCompaniesByIds(ids) }),

    async searchAccounts(text, limit) {
      return (await client.searchCompaniesByName(text, limit)).map((account) => ({ id: account.id, name: account.accountName }))
    },

    async findRoutes(clusterIds) {
      const items = await client.findConfigurationItemsByReferenceNumbers(clusterIds)
      return items.map(toEngineRoute)
    },

    async updateTickets(updates) {
      if (updates.length === 0) return []
      // PATCH writes only what it is sent, so a technician's other edits stay without a read first.
      const results = await client.patchTickets(updates.map(({ id, changes }) => ({ id, ...changes })))
      memory.ownWrites.remember(results.flatMap((result) => (result.ok ? [result.entity] : [])))
      return updates.map((update, index): WriteResult<AutotaskTicket> => {
        const result = results[index]
        if (result?.ok) return { ok: true, value: toEngineTicket(result.entity) }
        if (result && !noMatchingRecord.test(result.error.remoteMessage)) return { ok: false, error: result.error }
        return { ok: false, error: ticketNotFound(update.id) }
      })
    },

    async getPicklists(): Promise<TicketPicklists> {
      const ticket = await client.getPicklists('Tickets')
      const note = await client.getPicklists('TicketNotes')
      return {
        priority: picklistOptions(ticket.priority),
        status: picklistOptions(ticket.status),
        queue: picklistOptions(ticket.queueID),
        source: picklistOptions(ticket.source),
        ticketType: picklistOptions(ticket.ticketType),
        noteType: picklistOptions(note.noteType),
      }
    },

    ticketUrl(ticketId) {
      return ticketDetailUrl(ticketId, webUrl, client.zoneUrl)
    },
  }
}
