import type { IntegrationError } from '../../errors/integration-error'
import type { AutotaskGateway } from '../../sync/ports/autotask-gateway'
import type { AutotaskAccount, AutotaskResource, AutotaskTicket, AutotaskTicketNote, CreatedAutotaskTicketNote, NewAutotaskTicket, NewAutotaskTicketNote } from './autotask-types'
import { resourceName, toEngineNote, toEngineResults, toEngineTicket } from './engine-records'
import { createNameCache } from './name-cache'

type ClientWriteResult<T> = { ok: true; entity: T } | { ok: false; error: IntegrationError }

/** What both transports' clients offer for tickets, under the same names (updates differ: see each gateway). */
export interface TicketClient {
  findTicketsByIds(ids: readonly number[]): Promise<AutotaskTicket[]>
  findTicketsByNumbers(ticketNumbers: readonly string[]): Promise<AutotaskTicket[]>
  findTicketsByExternalIds(externalIds: readonly string[]): Promise<AutotaskTicket[]>
  ticketPagesChangedSince(since: Date, until?: Date): AsyncIterable<AutotaskTicket[]>
  createTickets(tickets: readonly NewAutotaskTicket[]): Promise<Array<ClientWriteResult<AutotaskTicket>>>
}

/** Ticket reads and creates in the engine's words, the same for SOAP and REST. */
export function ticketMethods(client: TicketClient): Pick<AutotaskGateway, 'getTickets' | 'findTicketsByNumbers' | 'findTicketsByExternalIds' | 'scanTicketsChangedSince' | 'createTickets'> {
  return {
    async getTickets(ids) {
      return ids.length === 0 ? [] : (await client.findTicketsByIds(ids)).map(toEngineTicket)
    },
    async findTicketsByNumbers(ticketNumbers) {
      return ticketNumbers.length === 0 ? [] : (await client.findTicketsByNumbers(ticketNumbers)).map(toEngineTicket)
    },
    async findTicketsByExternalIds(externalIds) {
      return externalIds.length === 0 ? [] : (await client.findTicketsByExternalIds(externalIds)).map(toEngineTicket)
    },
    async *scanTicketsChangedSince(since, until) {
      for await (const page of client.ticketPagesChangedSince(since, until)) yield page.map(toEngineTicket)
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
  }
}

/** What both transports' clients offer for notes, under the same names. */
export interface NoteClient {
  findNotesByIds(ids: readonly number[]): Promise<AutotaskTicketNote[]>
  findNotesByTicketIds(ticketIds: readonly number[]): Promise<AutotaskTicketNote[]>
  findNotesChangedSince(since: Date, ticketIds?: readonly number[], excludeCreatorResourceId?: number): Promise<AutotaskTicketNote[]>
  notePagesChangedSince(since: Date, until?: Date, excludeCreatorResourceId?: number): AsyncIterable<AutotaskTicketNote[]>
  createNotes(notes: readonly NewAutotaskTicketNote[]): Promise<Array<ClientWriteResult<CreatedAutotaskTicketNote>>>
}

/**
 * The notes half of the engine's gateway, the same for SOAP and REST. PSA Link writes notes as
 * the API user; once one of its notes shows which resource that is, change scans leave its own
 * notes out: they are never mirrored back, and right after a backfill they are most of what
 * changed (full passes, as Sync now and retries run, still read every note). Created notes are not
 * read back, so the first one is read once to learn the creator.
 */
export function noteMethods(client: NoteClient): Pick<AutotaskGateway, 'findNotesByTicketIds' | 'scanNotesChangedSince' | 'findNotesOnTicketsChangedSince' | 'createNotes'> {
  let ownResourceId: number | undefined

  /** Never throws: the notes are saved, and their ids must reach the ledger whatever this read does. */
  async function learnOwnResource(createdId: number | undefined): Promise<void> {
    if (ownResourceId !== undefined || createdId === undefined) return
    try {
      const [note] = await client.findNotesByIds([createdId])
      if (note && note.creatorResourceId !== null) ownResourceId = note.creatorResourceId
    } catch {
      // Unknown for now: scans keep reading PSA Link's own notes (and the echo guard drops them).
    }
  }

  return {
    async findNotesByTicketIds(ticketIds) {
      return ticketIds.length === 0 ? [] : (await client.findNotesByTicketIds(ticketIds)).map(toEngineNote)
    },
    async *scanNotesChangedSince(since, until) {
      for await (const page of client.notePagesChangedSince(since, until, ownResourceId)) yield page.map(toEngineNote)
    },
    async findNotesOnTicketsChangedSince(ticketIds, since) {
      return ticketIds.length === 0 ? [] : (await client.findNotesChangedSince(since, ticketIds, ownResourceId)).map(toEngineNote)
    },
    async createNotes(notes) {
      const results = await client.createNotes(notes)
      await learnOwnResource(results.find((result) => result.ok)?.entity.id)
      return toEngineResults(results, (note) => ({ id: note.id }))
    },
  }
}

/** Account and resource names for both transports, kept for an hour (see name-cache). */
export function nameMethods(reads: {
  resources(ids: number[]): Promise<AutotaskResource[]>
  accounts(ids: number[]): Promise<AutotaskAccount[]>
}): Pick<AutotaskGateway, 'resourceNames' | 'accountNames'> {
  return {
    resourceNames: createNameCache(async (ids) => new Map((await reads.resources(ids)).map((resource) => [resource.id, resourceName(resource)]))),
    accountNames: createNameCache(async (ids) => new Map((await reads.accounts(ids)).map((account) => [account.id, account.accountName]))),
  }
}
