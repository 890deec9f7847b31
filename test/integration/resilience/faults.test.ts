import { sandboxHttp } from '../../helpers/remote-sandbox'
import { startScenario } from '../../helpers/scenario'
import { seedFromEnvironment } from '../../helpers/seeded-random'
import { cycle } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { expectExactlyOnce, seedWorkload, type Workload } from './workload'

// server/src/sync/README.md R18: "Autotask or Zendesk down / 429 / 5xx → retried with backoff, the cycle
// completes the rest, nothing lost". Cycles are driven by the test; time that retries would wait
// is skipped by making waiting tickets due, and the Autotask outage by moving its clock.
let stack: TestStack
let workload: Workload

beforeAll(async () => {
  stack = await startScenario({ env: { SYNC_LEASE_SECONDS: '30' } })
  const { rows } = await stack.database.pool.query<{ integration_user_id: number }>('SELECT integration_user_id FROM zendesk_accounts WHERE id = $1', [
    stack.accountId,
  ])
  workload = await seedWorkload(
    sandboxHttp(stack.origin),
    { accountId: stack.accountId, integrationUserId: rows[0]!.integration_user_id },
    { tickets: 30, commentsPerTicket: 3 },
  )
}, 120_000)

afterAll(async () => {
  await stack?.close()
})

/** One cycle that may fail as a whole (the job would be retried); afterwards everything waiting is due. */
async function faultyCycle(): Promise<void> {
  await cycle(stack).catch(() => undefined)
  await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE dirty_since IS NOT NULL')
}

async function linkedAutotaskIds(): Promise<number[]> {
  const { rows } = await stack.database.pool.query<{ autotask_ticket_id: number }>("SELECT autotask_ticket_id FROM ticket_links WHERE state = 'linked'")
  return rows.map((row) => row.autotask_ticket_id)
}

function addWork(round: number, autotaskIds: number[]) {
  const { zendesk, autotask } = stack.sandbox
  zendesk.addComment(workload.ticketIds[round % workload.ticketIds.length]!, { body: `Under fire ${round}`, public: true, authorId: workload.requesterId })
  const target = autotaskIds[round % Math.max(1, autotaskIds.length)]
  if (target !== undefined) {
    autotask.addTechnicianNote(target, { title: `Technician ${round}`, description: `Fix attempt ${round}` })
    workload.technicianNotes += 1
  }
}

it('converges with nothing lost or doubled through 20% errors, added latency, a 429 storm and a 2-minute Autotask outage', async () => {
  const { zendesk, autotask } = stack.sandbox
  // Which requests fail is drawn by each emulator's seeded generator: printed here, TEST_SEED replays it.
  const seed = seedFromEnvironment('faults')
  zendesk.lostResponses.set({ seed })
  autotask.lostResponses.set({ seed: seed + 1 })
  zendesk.setFaults({ errorRate: 0.2, latencyMs: 20 })
  autotask.setFaults({ errorRate: 0.2, latencyMs: 20 })
  for (let round = 0; round < 6; round += 1) {
    addWork(round, await linkedAutotaskIds())
    await faultyCycle()
  }

  // A 429 storm: every Zendesk request is refused for a while, with a short Retry-After.
  zendesk.setFaults({ rateLimitStormRetryAfterSeconds: 1 })
  addWork(6, await linkedAutotaskIds())
  await faultyCycle()
  zendesk.setFaults({ rateLimitStormRetryAfterSeconds: null })

  // Autotask is down for two minutes: cycles during it fail for Autotask only; then its clock
  // moves past the outage.
  autotask.setFaults({ outage: new Date(autotask.now().getTime() + 120_000) })
  for (let round = 7; round < 10; round += 1) {
    addWork(round, await linkedAutotaskIds())
    await faultyCycle()
  }
  autotask.setClockOffset(121_000)

  for (let round = 10; round < 14; round += 1) {
    addWork(round, await linkedAutotaskIds())
    await faultyCycle()
  }
  // The faults bit (without them the convergence below would prove nothing): Autotask refused
  // requests with injected errors and during its outage.
  const { rejected } = autotask.counters()
  expect(rejected.injectedError ?? 0).toBeGreaterThan(0)
  expect(rejected.outage ?? 0).toBeGreaterThan(0)

  // Faults end; the backstop cycles bring everything in step.
  zendesk.clearFaults()
  autotask.resetFaults()
  for (let round = 0; round < 4; round += 1) await faultyCycle()
  await expectExactlyOnce(sandboxHttp(stack.origin), stack.database, workload, { timeoutMs: 1 })
}, 600_000)
