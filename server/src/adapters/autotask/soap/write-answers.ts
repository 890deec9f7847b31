import { errorFromAutotaskMessages, savedButNotReadBack } from '../core/autotask-errors'
import type { AutotaskTicketEntity, EntityWriteResult } from '../core/autotask-entities'
import { ticketFromRaw } from './soap-entity-mapping'
import type { RawEntity } from './soap-entities'

/** The saved entities' ids alone (a create's answer may not carry its computed fields yet). */
export function savedIds(written: Array<EntityWriteResult<RawEntity>>): Array<EntityWriteResult<number>> {
  return written.map((result) => (result.ok ? { ok: true, entity: result.entity.id } : result))
}

/**
 * What a SOAP ticket write answered, turned into saved tickets: the answer itself where it carries
 * the whole ticket, else a pooled read-back through the client's own `findTicketsByIds`.
 */
export function createWriteAnswers(findTicketsByIds: (ids: readonly number[]) => Promise<AutotaskTicketEntity[]>) {
  /**
   * An update's answer, where it carries the whole ticket as saved (its computed LastActivityDate
   * and TicketNumber included, as the emulator and, by our reading, Autotask send back): no
   * read-back for those. Autotask's docs advise trusting a write's answer for the id alone
   * (AUTOTASK_FACTS §1.4), so a ticket whose answer lacks them is read back as before.
   */
  async function answeredOrReadBack(written: Array<EntityWriteResult<RawEntity>>): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
    const answered = written.map((result) => (result.ok ? ticketFromRaw(result.entity) : null))
    const carries = (ticket: AutotaskTicketEntity | null) => ticket !== null && ticket.lastActivityDate !== null && ticket.ticketNumber !== ''
    const unanswered = savedIds(written).filter((_, index) => !carries(answered[index]!))
    const reread = (await readBack(unanswered, false)).values()
    return answered.map((ticket): EntityWriteResult<AutotaskTicketEntity> => (ticket && carries(ticket) ? { ok: true, entity: ticket } : reread.next().value!))
  }

  /**
   * Autotask may not have computed every field yet when it answers a write; what a re-read returns
   * is the truth. The ids of every call of one write are read back together, up to 500 per query
   * (not once per 200-entity call): 1,000 creates cost 5 calls and 2 reads, not 5 and 5. A create
   * whose read-back fails was saved for sure, so the whole write fails `outcome_unknown` and the
   * engine looks its tickets up by ExternalID.
   */
  async function readBack(written: Array<EntityWriteResult<number>>, creating: boolean): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
    const ids = written.flatMap((result) => (result.ok ? [result.entity] : []))
    const saved =
      ids.length === 0
        ? []
        : await findTicketsByIds(ids).catch((error: unknown) => {
            throw creating ? savedButNotReadBack(error) : error
          })
    const byId = new Map(saved.map((ticket) => [ticket.id, ticket]))
    return written.map((result): EntityWriteResult<AutotaskTicketEntity> => {
      if (!result.ok) return result
      const ticket = byId.get(result.entity)
      return ticket
        ? { ok: true, entity: ticket }
        : { ok: false, error: errorFromAutotaskMessages([`Autotask saved ticket ${result.entity} but it could not be read back.`]) }
    })
  }

  return { answeredOrReadBack, readBack }
}
