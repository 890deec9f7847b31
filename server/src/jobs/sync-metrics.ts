import { Counter, Histogram, Registry } from 'prom-client'
import type { RunCounts } from '../sync/ports/sync-bookkeeping-store'

/** Prometheus metrics of the engine: runs, items synced, failures and remote requests by system. */
export function createSyncMetrics() {
  const registry = new Registry()
  const runs = new Counter({ name: 'psa_link_sync_runs_total', help: 'Sync runs by kind and result', labelNames: ['kind', 'status'], registers: [registry] })
  const duration = new Histogram({
    name: 'psa_link_sync_run_duration_seconds',
    help: 'Duration of sync runs',
    labelNames: ['kind'],
    buckets: [0.1, 0.5, 1, 2, 5, 15, 60, 300, 900],
    registers: [registry],
  })
  const tickets = new Counter({
    name: 'psa_link_tickets_synced_total',
    help: 'Autotask tickets created or updated',
    labelNames: ['action'],
    registers: [registry],
  })
  const notes = new Counter({ name: 'psa_link_notes_synced_total', help: 'Comments and notes mirrored', labelNames: ['direction'], registers: [registry] })
  const failures = new Counter({ name: 'psa_link_sync_errors_total', help: 'Items that failed or were skipped', labelNames: ['kind'], registers: [registry] })
  const requests = new Counter({ name: 'psa_link_api_requests_total', help: 'Requests sent to remote systems', labelNames: ['system'], registers: [registry] })
  return {
    registry,
    recordRun(kind: string, status: 'succeeded' | 'degraded' | 'failed', seconds: number, counts: RunCounts, usage: { autotask: number; zendesk: number }) {
      runs.inc({ kind, status })
      duration.observe({ kind }, seconds)
      tickets.inc({ action: 'created' }, counts.ticketsCreated)
      tickets.inc({ action: 'updated' }, counts.ticketsUpdated)
      notes.inc({ direction: 'to_autotask' }, counts.notesToAutotask)
      notes.inc({ direction: 'to_zendesk' }, counts.commentsToZendesk)
      failures.inc({ kind: 'failed' }, counts.failed)
      failures.inc({ kind: 'skipped' }, counts.skipped)
      requests.inc({ system: 'autotask' }, usage.autotask)
      requests.inc({ system: 'zendesk' }, usage.zendesk)
    },
  }
}

export type SyncMetrics = ReturnType<typeof createSyncMetrics>
