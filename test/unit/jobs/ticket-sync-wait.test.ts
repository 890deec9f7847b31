import type PgBoss from 'pg-boss'
import type pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'
import { createSignals } from '../../../server/src/jobs/signals'
import { jobDoneTopic, waitForTicketSync } from '../../../server/src/jobs/ticket-sync-requests'

// A job pg-boss still shows as active (it records the end only after the worker's callback
// returned): the waiter must take the worker's signal, not the table, as the end.
function bossShowingActive(): PgBoss {
  return { getJobById: async (_queue: string, id: string) => ({ id, state: 'active', output: null }) } as unknown as PgBoss
}

describe('waitForTicketSync', () => {
  const signals = createSignals({ pool: {} as pg.Pool, listenUrl: null, log: console as unknown as FastifyBaseLogger })

  it('answers completed as soon as the worker signals the end, while pg-boss still shows the job active', async () => {
    const waiting = waitForTicketSync(bossShowingActive(), signals, 'job-1', 30_000)
    setTimeout(() => void signals.publish(jobDoneTopic('job-1'), 'completed'), 10)
    await expect(waiting).resolves.toMatchObject({ id: 'job-1', state: 'completed' })
  })

  it('keeps waiting when the attempt failed and pg-boss will retry it', async () => {
    const waiting = waitForTicketSync(bossShowingActive(), signals, 'job-2', 300)
    setTimeout(() => void signals.publish(jobDoneTopic('job-2'), 'retry'), 10)
    await expect(waiting).resolves.toMatchObject({ id: 'job-2', state: 'active' })
  })
})
