import type { AutotaskGateway } from '../../../sync/ports/autotask-gateway'
import type {
  AutotaskAccountEntity,
  AutotaskResourceEntity,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  CreatedAutotaskTicketNoteEntity,
  EntityWriteResult,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
  OwnActivityLeftOut,
} from './autotask-entities'
import { resourceName, toEngineNote, toEngineResults, toEngineTicket } from './engine-records'
import { createNameCache } from './name-cache'
import { createOwnResource, type OwnResource } from './own-resource'
import { createOwnWrites, type OwnWrites } from './own-writes'

/** What a gateway keeps for as long as it lives (the connection's settings): see own-resource and own-writes. */
export interface GatewayMemory {
  ownResource: OwnResource
  ownWrites: OwnWrites
}

export interface GatewayMemoryOptions {
  /** The resource PSA Link writes as, when the connection has it stored. */
  ownResourceId?: number | null
  /** Store a newly learned own resource id with the connection. */
  onOwnResourceLearned?: (resourceId: number) => Promise<void> | void
}

export function createGatewayMemory(options: GatewayMemoryOptions, lookUpOwnResource: () => Promise<AutotaskResourceEntity | null>): GatewayMemory {
  return {
    ownResource: createOwnResource({
      known: options.ownResourceId ?? null,
      lookUp: async () => (await lookUpOwnResource())?.id ?? null,
      ...(options.onOwnResourceLearned ? { onLearned: options.onOwnResourceLearned } : {}),
    }),
    ownWrites: createOwnWrites(),
  }
}

/**
 * Tickets a scan can keep in by id while Autotask leaves PSA Link's own activity out: with the
 * scan's few other conditions, within Autotask's 500 OR conditions a query (AUTOTASK_FACTS §1.5).
 */
export const MAX_WRITTEN_SINCE_KEPT = 400

/** What both transports' clients offer for tickets, under the same names (updates differ: see each gateway). */
export interface TicketClient {
  findTicketsByIds(ids: readonly number[]): Promise<AutotaskTicketEntity[]>
  findTicketsByNumbers(ticketNumbers: readonly string[]): Promise<AutotaskTicketEntity[]>
  findTicketsByExternalIds(externalIds: readonly string[]): Promise<AutotaskTicketEntity[]>
  ticketPagesChangedSince(since: Date, until?: Date, leaveOut?: OwnActivityLeftOut): AsyncIterable<AutotaskTicketEntity[]>
  createTickets(tickets: readonly NewAutotaskTicketEntity[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>>
}

/**
 * Ticket reads and creates in the engine's words, the same for SOAP and REST. The change scan
 * leaves out tickets it shows only because of PSA Link's own writes (see own-writes).
 */
export function ticketMethods(
  client: TicketClient,
  memory: GatewayMemory,
): Pick<AutotaskGateway, 'getTickets' | 'findTicketsByNumbers' | 'findTicketsByExternalIds' | 'scanTicketsChangedSince' | 'createTickets'> {
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
    async *scanTicketsChangedSince(since, until, onOwnWrite, writtenSince) {
      const ownResourceId = (await memory.ownResource.resolve()) ?? undefined
      // Autotask leaves PSA Link's own last activity out only when the resource is proven by one
      // of its notes (a looked-up guess must not hide a technician's edits) and the engine named
      // the tickets PSA Link may have written to unseen; those stay in, and are judged below.
      const leaveOut =
        ownResourceId !== undefined && memory.ownResource.confirmed() && writtenSince && writtenSince.length <= MAX_WRITTEN_SINCE_KEPT
          ? { resourceId: ownResourceId, exceptTicketIds: writtenSince }
          : undefined
      for await (const page of client.ticketPagesChangedSince(since, until, leaveOut)) {
        const changed: AutotaskTicketEntity[] = []
        for (const ticket of page) {
          if (!memory.ownWrites.isOwnEcho(ticket, ownResourceId)) changed.push(ticket)
          else onOwnWrite?.(toEngineTicket(ticket))
        }
        yield changed.map(toEngineTicket)
      }
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
      memory.ownWrites.remember(results.flatMap((result) => (result.ok ? [result.entity] : [])))
      return toEngineResults(results, toEngineTicket)
    },
  }
}

/** What both transports' clients offer for notes, under the same names. */
export interface NoteClient {
  findNotesByIds(ids: readonly number[]): Promise<AutotaskTicketNoteEntity[]>
  findNotesByTicketIds(ticketIds: readonly number[]): Promise<AutotaskTicketNoteEntity[]>
  findNotesChangedSince(since: Date, ticketIds?: readonly number[], excludeCreatorResourceId?: number): Promise<AutotaskTicketNoteEntity[]>
  notePagesChangedSince(since: Date, until?: Date, excludeCreatorResourceId?: number): AsyncIterable<AutotaskTicketNoteEntity[]>
  createNotes(notes: readonly NewAutotaskTicketNoteEntity[]): Promise<Array<EntityWriteResult<CreatedAutotaskTicketNoteEntity>>>
}

/**
 * The notes half of the engine's gateway, the same for SOAP and REST. PSA Link writes notes as
 * the API user; once the connection knows which resource that is (stored, looked up once, or read
 * from one of its notes), change scans leave its own notes out: they are never mirrored back, and
 * right after a backfill they are most of what changed (full passes, as Sync now and retries run,
 * still read every note). Created notes are not read back, so the first one a gateway creates is
 * read once to learn the resource, or to confirm the one stored or looked up.
 */
export function noteMethods(
  client: NoteClient,
  memory: GatewayMemory,
): Pick<AutotaskGateway, 'findNotesByTicketIds' | 'scanNotesChangedSince' | 'findNotesOnTicketsChangedSince' | 'createNotes' | 'ownResourceId'> {
  /** Never throws: the notes are saved, and their ids must reach the ledger whatever this read does. */
  async function learnOwnResource(createdId: number | undefined): Promise<void> {
    if (memory.ownResource.confirmed() || createdId === undefined) return
    try {
      const [note] = await client.findNotesByIds([createdId])
      if (note && note.creatorResourceId !== null) await memory.ownResource.learn(note.creatorResourceId, true)
    } catch {
      // Unknown for now: scans keep reading PSA Link's own notes (and the echo guard drops them).
    }
  }

  return {
    async findNotesByTicketIds(ticketIds) {
      return ticketIds.length === 0 ? [] : (await client.findNotesByTicketIds(ticketIds)).map(toEngineNote)
    },
    async *scanNotesChangedSince(since, until) {
      const ownResourceId = (await memory.ownResource.resolve()) ?? undefined
      for await (const page of client.notePagesChangedSince(since, until, ownResourceId)) yield page.map(toEngineNote)
    },
    async findNotesOnTicketsChangedSince(ticketIds, since) {
      if (ticketIds.length === 0) return []
      const ownResourceId = (await memory.ownResource.resolve()) ?? undefined
      return (await client.findNotesChangedSince(since, ticketIds, ownResourceId)).map(toEngineNote)
    },
    async createNotes(notes) {
      const results = await client.createNotes(notes)
      await learnOwnResource(results.find((result) => result.ok)?.entity.id)
      return toEngineResults(results, (note) => ({ id: note.id }))
    },
    ownResourceId() {
      return memory.ownResource.resolve()
    },
  }
}

/** Account and resource names for both transports, kept for an hour (see name-cache). */
export function nameMethods(reads: {
  resources(ids: number[]): Promise<AutotaskResourceEntity[]>
  accounts(ids: number[]): Promise<AutotaskAccountEntity[]>
}): Pick<AutotaskGateway, 'resourceNames' | 'accountNames'> {
  return {
    resourceNames: createNameCache(async (ids) => new Map((await reads.resources(ids)).map((resource) => [resource.id, resourceName(resource)]))),
    accountNames: createNameCache(async (ids) => new Map((await reads.accounts(ids)).map((account) => [account.id, account.accountName]))),
  }
}
