/** How far a backfill got; saved after every batch. */
export interface BackfillProgress {
  ticketsDone: number
  ticketsCreated: number
  notesCreated: number
  ticketsFailed: number
}

export type BackfillState = 'queued' | 'counting' | 'running' | 'waiting_budget' | 'pausing' | 'paused' | 'succeeded' | 'failed'

export interface Backfill {
  id: number
  accountId: number
  /** Tickets updated since then are backfilled. */
  startAt: Date
  /** Create Autotask tickets for Zendesk tickets that are already solved or closed. */
  includeSolved: boolean
  state: BackfillState
  /** The backfill's own position in the Zendesk export (never the live cycle's). */
  exportCursor: string | null
  totalTickets: number | null
  progress: BackfillProgress
}

export interface AutotaskBudget {
  used: number
  /** PSA Link's share of Autotask's hourly limit for this connection. */
  limit: number
}

/** What a backfill keeps in the database, in domain words. */
export interface BackfillStore {
  getBackfill(id: number): Promise<Backfill | null>
  setState(id: number, state: BackfillState, details?: { error?: string | null; resumeAt?: Date | null }): Promise<void>
  saveTotal(id: number, totalTickets: number): Promise<void>
  /** Saves progress and, when given, the export position the next read starts from. */
  saveProgress(id: number, progress: BackfillProgress, exportCursor?: string): Promise<void>
  /** Requests charged to the connection in the rolling hour, and its limit. */
  autotaskBudget(connectionId: number): Promise<AutotaskBudget>
}
