import type PgBoss from 'pg-boss'

/**
 * The engine's queues. Policy 'short': at most one *waiting* job per singleton key, so repeated
 * requests join it. Running jobs are not limited by pg-boss (a crashed instance's job stays
 * 'active' until it expires and must not block new work); the engine's own leases keep two
 * workers off one ticket or one account's cycle.
 */
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
    await boss.createQueue(SYNC_CYCLE_QUEUE, {
      name: SYNC_CYCLE_QUEUE,
      policy: 'short',
      retryLimit: 2,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 3 * 3600,
    })
  }
  if (!existing.has(SYNC_TICKET_QUEUE)) {
    await boss.createQueue(SYNC_TICKET_QUEUE, {
      name: SYNC_TICKET_QUEUE,
      policy: 'short',
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 900,
    })
  }
}
