import type { Backfill, BackfillProgress, BackfillStore } from '../../server/src/sync/ports/backfill-store'

/** A backfill row in memory: tests drive runBackfill without the admin console and its queue around it. */
export function newBackfill(accountId: number, startAt: Date): Backfill {
  return {
    id: 1,
    accountId,
    startAt,
    includeSolved: false,
    state: 'queued',
    exportCursor: null,
    totalTickets: null,
    progress: { ticketsDone: 0, ticketsCreated: 0, notesCreated: 0, ticketsFailed: 0 },
  }
}

/** A BackfillStore over one in-memory backfill, with all the Autotask budget it wants. */
export function memoryBackfillStore(backfill: Backfill): BackfillStore {
  return {
    getBackfill: async (id) => (id === backfill.id ? { ...backfill, progress: { ...backfill.progress } } : null),
    setState: async (_id, state) => {
      backfill.state = state
    },
    saveTotal: async (_id, total) => {
      backfill.totalTickets = total
    },
    saveProgress: async (_id, progress: BackfillProgress, cursor) => {
      backfill.progress = { ...progress }
      if (cursor) backfill.exportCursor = cursor
    },
    autotaskBudget: async () => ({ used: 0, limit: 100_000 }),
  }
}
