import { removeUnsafeCharacters, type PicklistOption } from '@psa-link/shared'
import { IntegrationError } from '../../../errors/integration-error'
import type { AutotaskNote, AutotaskTicket, InstalledProductRoute, WriteResult } from '../../../sync/ports/autotask-gateway'
import type {
  AutotaskInstalledProductEntity,
  AutotaskPicklistEntry,
  AutotaskResourceEntity,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  EntityWriteResult,
} from './autotask-entities'

/**
 * Autotask's entities in the engine's words, the same for both transports (SOAP and REST clients
 * share the entity types). Text loses what XML and PostgreSQL cannot carry on the way in.
 */
export function toEngineTicket(ticket: AutotaskTicketEntity): AutotaskTicket {
  return {
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
  }
}

export function toEngineNote(note: AutotaskTicketNoteEntity): AutotaskNote {
  return {
    id: note.id,
    ticketId: note.ticketId,
    title: note.title ? removeUnsafeCharacters(note.title) : null,
    description: removeUnsafeCharacters(note.description),
    noteType: note.noteType,
    publish: note.publish,
    creatorResourceId: note.creatorResourceId,
    createdAt: note.createDateTime ?? note.lastActivityDate ?? new Date(0),
    lastActivityDate: note.lastActivityDate,
  }
}

export function toEngineResults<A, B>(results: Array<EntityWriteResult<A>>, map: (value: A) => B): WriteResult<B>[] {
  return results.map((result) => (result.ok ? { ok: true, value: map(result.entity) } : { ok: false, error: result.error }))
}

export function toEngineRoute(product: AutotaskInstalledProductEntity): InstalledProductRoute {
  return { installedProductId: product.id, referenceNumber: product.referenceNumber, autotaskAccountId: product.accountId, active: product.active }
}

/** The answer for an update of a ticket Autotask does not have (any more). */
export function ticketNotFound(ticketId: number): IntegrationError {
  return new IntegrationError({ system: 'autotask', code: 'not_found', retryable: false, remoteMessage: `Ticket ${ticketId} does not exist in Autotask.` })
}

export function picklistOptions(entries: AutotaskPicklistEntry[] | undefined): PicklistOption[] {
  return (entries ?? []).map((entry) => ({ value: entry.value, label: entry.label, isActive: entry.isActive, isDefault: entry.isDefault }))
}

export function resourceName(resource: AutotaskResourceEntity): string {
  return `${resource.firstName} ${resource.lastName}`.trim() || resource.userName
}

/** The ticket's page in Autotask's web UI. Zones pair webservicesN.autotask.net (API) with wwN.autotask.net (UI). */
export function ticketDetailUrl(ticketId: number, webUrl: string | undefined, zoneUrl: string | undefined): string {
  return `${webUrl ?? webUrlFromZone(zoneUrl)}/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&ticketId=${ticketId}`
}

function webUrlFromZone(zoneUrl: string | undefined): string {
  if (!zoneUrl) return 'https://ww1.autotask.net'
  const url = new URL(zoneUrl)
  const zone = /^webservices(\d*)\./.exec(url.hostname)
  if (zone) return `https://ww${zone[1] || '1'}.autotask.net`
  // The sandbox: the emulator serves its UI stand-in beside its API.
  return `${url.origin}${url.pathname.replace(/\/ATServices(Rest)?\/.*$/i, '')}`
}
