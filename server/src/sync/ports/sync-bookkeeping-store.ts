import type { ExportPosition } from './zendesk-gateway'

export interface StoredRoute {
  connectionId: number
  installedProductId: number
  autotaskAccountId: number
  clusterId: string
}

/** A Cluster ID an admin routed by hand (it matched nothing, or several installed products). */
export interface RouteOverride {
  clusterId: string
  connectionId: number
  /** Null: the account alone, without an installed product. */
  installedProductId: number | null
  autotaskAccountId: number
}

export interface ProblemReport {
  zendeskAccountId: number
  connectionId: number | null
  zendeskTicketId: number | null
  autotaskTicketId: number | null
  code: string
  message: string
  remoteMessage: string | null
  retryAt: Date | null
}

export interface RunCounts {
  ticketsCreated: number
  ticketsUpdated: number
  notesToAutotask: number
  commentsToZendesk: number
  skipped: number
  failed: number
}

/** Routes, the error inbox, cursors and run records: what the engine keeps besides links, ledger and state. */
export interface SyncBookkeepingStore {
  findRoutes(accountId: number, clusterIds: string[]): Promise<StoredRoute[]>
  /** Replaces the cached routes of one connection for `clusterIds` (normalised) with what Autotask said. */
  saveRoutes(accountId: number, connectionId: number, clusterIds: string[], routes: StoredRoute[]): Promise<void>

  /** Routes admins set for `clusterIds` (normalised); they win over what Autotask says. */
  findRouteOverrides(accountId: number, clusterIds: string[]): Promise<RouteOverride[]>

  recordProblem(problem: ProblemReport): Promise<void>
  resolveProblems(accountId: number, ticketId: number): Promise<void>

  getExportPosition(accountId: number): Promise<ExportPosition | null>
  /** Advances the export cursor and puts `dirtyTicketIds` on the dirty list, in one transaction. */
  advanceExportPosition(accountId: number, position: ExportPosition, dirtyTicketIds: number[]): Promise<void>
  getNoteWatermark(connectionId: number): Promise<Date | null>
  /**
   * Moves the Autotask watermark; `scanStartedAt` when the scan that moved it finished every slice
   * (then it is the start of the last complete scan: see ticketsWrittenSinceScan).
   */
  advanceNoteWatermark(connectionId: number, watermark: Date, scanStartedAt?: Date): Promise<void>
  /**
   * When the connection's last complete Autotask scan started (null before its first one), and
   * the database's time now: both on the clock that stamps the ledger's completions.
   */
  getScanClock(connectionId: number): Promise<{ lastScanStartedAt: Date | null; now: Date }>
  /**
   * Autotask tickets of the connection that PSA Link may have written to without having seen them
   * since: a note it created that Autotask confirmed at or after `since`, or still pending, or a
   * ticket a pass holds or held without letting go (a crash). At most `limit` ids.
   */
  ticketsWrittenSinceScan(connectionId: number, since: Date, limit: number): Promise<number[]>

  startRun(run: { accountId: number; connectionId: number | null; kind: 'cycle' | 'ticket' | 'backfill'; trigger: string }): Promise<number>
  /** Writes a running run's counts so far (the admin console shows them while it runs) and that it is alive. */
  updateRunProgress(runId: number, counts: Record<string, number>): Promise<void>
  finishRun(
    runId: number,
    result: { status: 'succeeded' | 'degraded' | 'failed'; counts: RunCounts; apiUsage: Record<string, number>; error: string | null },
  ): Promise<void>
}
