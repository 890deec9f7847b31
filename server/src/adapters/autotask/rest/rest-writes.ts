import { IntegrationError } from '../../../errors/integration-error'
import type {
  AutotaskTicketEntity,
  CreatedAutotaskTicketNoteEntity,
  EntityWriteResult,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
} from '../core/autotask-entities'
import { failedCreate, savedButNotReadBack } from '../core/autotask-errors'
import { errorFromFetchFailure } from './rest-errors'
import { noteToJson, ticketToJson } from './rest-entity-mapping'
import type { RestCall, RestQueries } from './rest-queries'

/** One PATCH: the ticket's id and only the fields that change (REST names them; nothing else is touched). */
export interface AutotaskTicketPatch {
  id: number
  title?: string
  status?: number
  priority?: number
  accountId?: number
  installedProductId?: number | null
}

/**
 * The REST client's writes: tickets created and patched, notes created under their ticket. REST
 * has no batches, so each item is its own call; what Autotask computed on save is read back.
 */
export function createRestWrites(call: RestCall, findTicketsByIds: RestQueries['findTicketsByIds'], timeoutMs: number) {
  /**
   * Writes one item per call (REST has no batches), up to three calls at once (Autotask's limit
   * per entity; the gate enforces it) — items with the same lane key (a note's ticket) stay in
   * order, one after another. A rejected item fails alone; a failure of the request itself
   * (threshold, outage, timeout) is thrown when nothing was written yet, else it becomes the result
   * of every item not yet written — a timed-out create may have been saved, and only the engine can
   * look it up by natural key first.
   */
  async function writeEach<I, T>(
    items: readonly I[],
    write: (item: I) => Promise<number>,
    reread: (ids: number[]) => Promise<T[]>,
    idOf: (item: T) => number,
    laneOf: (item: I) => unknown = (item) => item,
  ): Promise<Array<EntityWriteResult<T>>> {
    const outcomes: Array<{ ok: true; id: number } | { ok: false; error: IntegrationError }> = new Array(items.length)
    let written = false
    let stopped: IntegrationError | undefined
    const groups = new Map<unknown, number[]>()
    items.forEach((item, index) => groups.set(laneOf(item), [...(groups.get(laneOf(item)) ?? []), index]))
    const lanes: number[][] = [[], [], []]
    ;[...groups.values()].forEach((indexes, group) => lanes[group % lanes.length]!.push(...indexes))
    await Promise.all(
      lanes.map(async (lane) => {
        for (const index of lane) {
          if (stopped) {
            outcomes[index] = { ok: false, error: stopped }
            continue
          }
          try {
            outcomes[index] = { ok: true, id: await write(items[index]!) }
            written = true
          } catch (caught) {
            const error = caught instanceof IntegrationError ? caught : errorFromFetchFailure(caught, timeoutMs)
            outcomes[index] = { ok: false, error }
            if (error.code !== 'rejected') stopped ??= error
          }
        }
      }),
    )
    if (stopped && !written) throw stopped
    const ids = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.id] : []))
    // Autotask computes some fields (number, dates) on save; what a re-read returns is the truth.
    const byId = new Map((ids.length > 0 ? await reread(ids) : []).map((entity) => [idOf(entity), entity]))
    return outcomes.map((outcome): EntityWriteResult<T> => {
      if (!outcome.ok) return outcome
      const entity = byId.get(outcome.id)
      return entity
        ? { ok: true, entity }
        : {
            ok: false,
            error: new IntegrationError({
              system: 'autotask',
              code: 'unexpected_response',
              retryable: true,
              remoteMessage: `Autotask saved item ${outcome.id} but it could not be read back.`,
            }),
          }
    })
  }

  /** A POST is never resent: one whose answer was lost fails `outcome_unknown` (see failedCreate). */
  function rethrowFailedCreate(error: unknown): never {
    throw failedCreate(error)
  }

  function itemIdOf(answer: unknown): number {
    const id = Number((answer as { itemId?: unknown }).itemId)
    if (!Number.isFinite(id) || id <= 0)
      throw new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: false,
        remoteMessage: 'Autotask answered a write without an itemId.',
      })
    return id
  }
  return {
    createTickets(tickets: readonly NewAutotaskTicketEntity[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return writeEach(
        tickets,
        async (ticket) => itemIdOf(await call('Tickets', 'POST', 'Tickets', ticketToJson(ticket)).catch(rethrowFailedCreate)),
        (ids) =>
          findTicketsByIds(ids).catch((error: unknown) => {
            throw savedButNotReadBack(error)
          }),
        (ticket) => ticket.id,
      )
    },
    /** PATCHes only the given fields of each ticket; everything else stays as Autotask has it. */
    patchTickets(patches: readonly AutotaskTicketPatch[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return writeEach(
        patches,
        async (patch) => {
          const body: Record<string, unknown> = { id: patch.id }
          if (patch.title !== undefined) body.title = patch.title
          if (patch.status !== undefined) body.status = patch.status
          if (patch.priority !== undefined) body.priority = patch.priority
          if (patch.accountId !== undefined) body.companyID = patch.accountId
          if (patch.installedProductId !== undefined) body.configurationItemID = patch.installedProductId
          return itemIdOf(await call('Tickets', 'PATCH', 'Tickets', body))
        },
        findTicketsByIds,
        (ticket) => ticket.id,
      )
    },
    /** Notes are created under their ticket (`POST Tickets/{id}/Notes`); REST has no top-level TicketNotes create. */
    createNotes(notes: readonly NewAutotaskTicketNoteEntity[]): Promise<Array<EntityWriteResult<CreatedAutotaskTicketNoteEntity>>> {
      // Not read back (findNotesByIds does, when the computed fields matter): the id is what a caller keeps.
      const sent = new Map<number, NewAutotaskTicketNoteEntity>()
      return writeEach(
        notes,
        async (note) => {
          const id = itemIdOf(await call('TicketNotes', 'POST', `Tickets/${note.ticketId}/Notes`, noteToJson(note)).catch(rethrowFailedCreate))
          sent.set(id, note)
          return id
        },
        async (ids) => ids.map((id) => ({ ...sent.get(id)!, id })),
        (note) => note.id,
        (note) => note.ticketId,
      )
    },
  }
}
