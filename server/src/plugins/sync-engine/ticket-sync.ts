import fp from 'fastify-plugin'
import { createSyncQueues } from '../../jobs/sync-queues'
import { requestTicketSync, waitForTicketSync, type TicketSyncJobState } from '../../jobs/ticket-sync-requests'

export interface TicketSync {
  /** Queues (or joins) a sync of one ticket; resolves with the job id. */
  request(accountId: number, ticketId: number, trigger: string): Promise<string>
  wait(jobId: string, timeoutMs: number): Promise<TicketSyncJobState | null>
}

declare module 'fastify' {
  interface FastifyInstance {
    ticketSync: TicketSync
  }
}

/** The sync queues, and the per-ticket syncs that webhooks, the sidebar and the console ask for through them. */
export default fp(
  async (app) => {
    await createSyncQueues(app.jobs)
    app.decorate('ticketSync', {
      request: (accountId, ticketId, trigger) => requestTicketSync(app.jobs, app.signals, { accountId, ticketId, trigger }),
      wait: (jobId, timeoutMs) => waitForTicketSync(app.jobs, app.signals, jobId, timeoutMs),
    } satisfies TicketSync)
  },
  { name: 'ticket-sync', dependencies: ['jobs'] },
)
