import type PgBoss from 'pg-boss'

/** The engine's queues. 'stately': at most one queued and one running job per singleton key. */
export const SYNC_CYCLE_QUEUE = 'sync-cycle'
export const SYNC_TICKET_QUEUE = 'sync-ticket'

export interface SyncCycleJob {
  accountId: number
  trigger: string
}

export interface SyncTicketJob {
  accountId: number
  ticketId: number
  trigger: string
}

export const cycleKey = (accountId: number): string => `account:${accountId}`
export const ticketKey = (accountId: number, ticketId: number): string => `ticket:${accountId}:${ticketId}`

/** Creates the queues (idempotent). A cycle may run long; a ticket job is short. */
export async function createSyncQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name))
  if (!existing.has(SYNC_CYCLE_QUEUE)) {
    await boss.createQueue(SYNC_CYCLE_QUEUE, { name: SYNC_CYCLE_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 3 * 3600 })
  }
  if (!existing.has(SYNC_TICKET_QUEUE)) {
    await boss.createQueue(SYNC_TICKET_QUEUE, { name: SYNC_TICKET_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 900 })
  }
}
