import type { Pool } from 'pg'
import type { SyncStore } from '../sync/ports/sync-store'
import { createCommentLedgerRepository } from './repositories/comment-ledger-repository'
import { createSyncBookkeepingRepository } from './repositories/sync-bookkeeping-repository'
import { createTicketLinksRepository } from './repositories/ticket-links-repository'
import { createTicketStateRepository } from './repositories/ticket-state-repository'

/** The engine's four store ports on PostgreSQL, one repository each. */
export function createSyncStore(pool: Pool): SyncStore {
  return {
    ...createTicketStateRepository(pool),
    ...createTicketLinksRepository(pool),
    ...createCommentLedgerRepository(pool),
    ...createSyncBookkeepingRepository(pool),
  }
}
