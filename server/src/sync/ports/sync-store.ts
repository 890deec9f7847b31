import type { CommentLedgerStore } from './comment-ledger-store'
import type { SyncBookkeepingStore } from './sync-bookkeeping-store'
import type { TicketLinkStore } from './ticket-link-store'
import type { TicketStateStore } from './ticket-state-store'

/**
 * Everything the engine keeps in its database, in domain words: the four store ports together, as
 * the wiring builds it (`../../db/sync-store.ts`). A use case asks only for the ports it uses.
 */
export type SyncStore = TicketStateStore & TicketLinkStore & CommentLedgerStore & SyncBookkeepingStore
