import type { ResolvedMappings, TicketPicklists } from '@psa-link/shared'
import type { AutotaskGateway } from './ports/autotask-gateway'
import type { RunCounts } from './ports/sync-bookkeeping-store'
import type { SyncStore } from './ports/sync-store'
import type { ZendeskGateway } from './ports/zendesk-gateway'

export interface ConnectionContext {
  id: number
  name: string
  paused: boolean
  /** Credentials tested and mappings valid against the live picklists (sync/README.md R1). */
  ready: boolean
  /** Why the connection is not ready, in words for people. */
  notReadyReason: string | null
  mappings: ResolvedMappings | null
  picklists: TicketPicklists | null
  gateway: AutotaskGateway
}

export interface SyncLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

/**
 * Everything one sync pass over one Zendesk account needs: its gateways, store, clock and identity.
 * A use case names the store ports it uses (`SyncContext<TicketLinkStore & CommentLedgerStore>`,
 * `SyncContext<unknown>` for one that keeps nothing); the default, every port, is what the wiring builds.
 */
export interface SyncContext<Store = SyncStore> {
  /** `showLinksInZendesk`: write the linked Autotask ticket's number, status and tag to Zendesk (default on). */
  account: { id: number; subdomain: string; showLinksInZendesk?: boolean }
  connections: ConnectionContext[]
  zendesk: ZendeskGateway
  store: Store
  now: () => Date
  /** This worker's lease token: written on every claimed ticket, checked before every remote write. */
  owner: string
  leaseSeconds: number
  log: SyncLogger
  counts: RunCounts
  /** How far a long pass has got (Zendesk tickets looked at), for people watching it. */
  progress: { ticketsSeen: number }
  /**
   * Connections whose Autotask could not be read in this pass, with Autotask's own words: the pass
   * is then "degraded", and a connection failing pass after pass is shown as failing.
   */
  autotaskFailures: Map<number, string>
}

export function emptyCounts(): RunCounts {
  return { ticketsCreated: 0, ticketsUpdated: 0, notesToAutotask: 0, commentsToZendesk: 0, skipped: 0, failed: 0 }
}

/** Trimmed and lower-cased: routing ignores case and surrounding spaces. */
export function normalizeClusterId(clusterId: string): string {
  return clusterId.trim().toLowerCase()
}
