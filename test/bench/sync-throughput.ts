import type { RemoteSandbox } from '../helpers/remote-sandbox'
import { ROUTABLE, readProcess, resetPeak, settled, startBenchStack, type BenchStack } from './bench-stack'
import { runDryRun } from './dry-run-job'
import {
  autotaskFloorSeconds,
  autotaskMinimum,
  serviceSeconds,
  withAutotaskService,
  zendeskCallMs,
  zendeskPlan,
  type AutotaskWork,
  type LatencyProfile,
  type MeasuredService,
  type ZendeskWork,
} from './floors'

/**
 * The engine's throughput, measured on the product alone (bench-stack.ts): the admin's backfill
 * (its dry run first, then the run) of a seeded Zendesk history, then one cycle after technicians
 * add notes and agents change tickets. Each phase is set against the strict minimum of requests
 * and the least wall time the vendors' limits and latencies allow (floors.ts), never against PSA
 * Link's own count — once with the profile's latency alone, once with the remote services' own
 * service time for those minimum calls added (the service floor). Zendesk's webhooks are not registered: the phases measure the backfill and the
 * cycle (a webhook's per-ticket sync is the sidebar benchmark's).
 */
export interface ThroughputOptions {
  transport: 'soap' | 'rest'
  tickets: number
  commentsPerTicket: number
  profile: LatencyProfile
  /** Zendesk's latency range under this profile (seeded-random when max > min). */
  zendeskLatency: { minMs: number; maxMs: number }
  /** The cycle phase (notes added, tickets changed); skipped when 0. */
  notesAdded: number
  ticketsChanged: number
}

export interface PhaseResult {
  phase: string
  profile: string
  items: number
  tickets: number
  notes: number
  comments: number
  autotaskRequests: number
  /** Refused by Autotask's thread or hourly limits (counted in autotaskRequests: they were sent). */
  autotaskRejected: number
  autotaskMinimum: number
  autotaskRatio: number
  zendeskRequests: number
  /** Answers 429 (not counted in zendeskRequests). */
  zendesk429: number
  zendeskMinimum: number
  zendeskRatio: number
  wallSeconds: number
  floorSeconds: number
  /** Which side sets the floor. */
  floorBoundBy: 'zendesk' | 'autotask'
  wallToFloor: number
  /** The same floor with each minimum call also charged the remote service's measured service time (floors.ts). */
  serviceFloorSeconds: number
  serviceFloorBoundBy: 'zendesk' | 'autotask'
  wallToServiceFloor: number
  /** CPU time the emulators spent serving every API request of the phase (PSA Link's extra ones too), both together. */
  remoteServiceSeconds: number
  /** The same stretches by the wall clock (higher when other processes share the machine's cores). */
  remoteServiceWallSeconds: number
  backendPeakRssMb: number
  backendCpuSeconds: number
  /** backendCpuSeconds / wallSeconds: near 1, the backend is CPU-bound; near 0, it waits (on the remotes, limits or PostgreSQL). */
  backendCpuShare: number
  zendeskEndpoints: Record<string, number>
  autotaskOperations: Record<string, number>
  /** Milliseconds of remote service (CPU) time per call kind (Zendesk endpoint, Autotask operation:entity), the largest first. */
  remoteServiceMs: Record<string, number>
  /** Cycles the phase took (a throttled or retried ticket waits for the next one). */
  cycles?: number
  /** The dry run's answer, for the dry-run phase. */
  estimate?: { autotaskRequests: number; zendeskRequests: number; routedTickets: number; notes: number }
  /** For the dry-run phase: seconds from starting the dry-run job until its estimate is ready. */
  answerSeconds?: number
}

export interface ThroughputResult {
  transport: 'soap' | 'rest'
  profile: string
  options: ThroughputOptions
  phases: PhaseResult[]
  /** The dry run's estimate against the run's requests: (estimate − actual) / actual. */
  dryRunAccuracy: { autotask: number | null; zendesk: number | null }
}

interface Counters {
  zendesk: Record<string, number>
  /** Per Zendesk counter key: answered requests and their service time. */
  zendeskService: Record<string, MeasuredService>
  autotask: {
    total: number
    byOperationAndEntity: Record<string, number>
    rejected: Record<string, number>
    service: Record<string, MeasuredService>
  }
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits))
const ratio = (value: number, base: number) => (base > 0 ? round(value / base) : value === 0 ? 1 : Number.POSITIVE_INFINITY)
const sum = (values: Record<string, number>) => Object.values(values).reduce((total, count) => total + count, 0)

export async function readCounters(stack: BenchStack): Promise<Counters> {
  const zendesk = await stack.zendeskControl<{ counters: Record<string, number>; service: Counters['zendeskService'] }>('GET', '/counters')
  const autotask = await stack.sandbox.autotaskControl<Counters['autotask']>('GET', '/counters')
  // Zendesk's API only, as zendeskRequests counts it: the emulator's controls and OAuth left out.
  const zendeskService = Object.fromEntries(Object.entries(zendesk.service).filter(([key]) => key.includes('/api/v2/')))
  return { zendesk: zendesk.counters, zendeskService, autotask }
}

export async function resetCounters(stack: BenchStack): Promise<void> {
  await stack.zendeskControl('POST', '/counters/reset')
  await stack.zendeskControl('POST', '/limits/reset-windows')
  await stack.sandbox.autotaskControl('POST', '/reset-counters')
}

/** Requests PSA Link sent to Zendesk's API (the emulator's own controls and OAuth left out), 429s apart. */
export function zendeskRequests(counters: Record<string, number>) {
  const api = Object.entries(counters).filter(([key]) => key.includes('/api/v2/'))
  const refused = Object.fromEntries(api.filter(([key]) => key.startsWith('429 ')))
  const answered = Object.fromEntries(api.filter(([key]) => !key.startsWith('429 ')))
  const total = sum(answered)
  const rejected = sum(refused)
  return { endpoints: answered, answered: total - rejected, rejected }
}

async function linkCounts(stack: BenchStack) {
  const { rows } = await stack.database.pool.query<{ tickets: number; notes: number; comments: number }>(
    `SELECT (SELECT count(*)::int FROM ticket_links WHERE state = 'linked') AS tickets,
            (SELECT count(*)::int FROM comment_links WHERE origin = 'zendesk' AND state = 'done') AS notes,
            (SELECT count(*)::int FROM comment_links WHERE origin = 'autotask' AND state = 'done') AS comments`,
  )
  return rows[0]!
}

const top = (values: Record<string, number>, count: number) =>
  Object.fromEntries(
    Object.entries(values)
      .sort((a, b) => b[1] - a[1])
      .slice(0, count),
  )

interface PhaseInput {
  phase: string
  autotaskWork: AutotaskWork
  zendeskWork: ZendeskWork
}

/** Runs `work` and reads what it cost: requests, wall time, the backend's peak memory and CPU. */
async function measure(stack: BenchStack, options: ThroughputOptions, input: PhaseInput, work: () => Promise<void>): Promise<PhaseResult> {
  await resetCounters(stack)
  resetPeak(stack.pid)
  const before = await linkCounts(stack)
  const cpuBefore = readProcess(stack.pid).cpuSeconds
  const started = performance.now()
  await work()
  const wallSeconds = (performance.now() - started) / 1000
  const backendReading = readProcess(stack.pid)
  const after = await linkCounts(stack)
  const counters = await readCounters(stack)
  const { phase, autotaskWork, zendeskWork } = input
  const tickets = after.tickets - before.tickets
  const notes = after.notes - before.notes
  const comments = after.comments - before.comments
  const minimum = autotaskMinimum(options.transport, autotaskWork)
  const plan = zendeskPlan(zendeskWork, options.profile.zendeskMs)
  const autotaskFloor = autotaskFloorSeconds(minimum, options.profile)
  const floor = Math.max(plan.floorSeconds, autotaskFloor)
  // The service floor: the same minimum calls, each also charged its kind's measured service time.
  const servicePlan = zendeskPlan(zendeskWork, zendeskCallMs(options.profile.zendeskMs, counters.zendeskService))
  const autotaskServiceFloor = autotaskFloorSeconds(withAutotaskService(minimum, counters.autotask.service), options.profile)
  const serviceFloor = Math.max(servicePlan.floorSeconds, autotaskServiceFloor)
  const backendCpuSeconds = backendReading.cpuSeconds - cpuBefore
  const zendesk = zendeskRequests(counters.zendesk)
  return {
    phase,
    profile: options.profile.name,
    items: tickets + notes + comments,
    tickets,
    notes,
    comments,
    autotaskRequests: counters.autotask.total,
    autotaskRejected: sum(counters.autotask.rejected),
    autotaskMinimum: minimum.total,
    autotaskRatio: ratio(counters.autotask.total, minimum.total),
    zendeskRequests: zendesk.answered,
    zendesk429: zendesk.rejected,
    zendeskMinimum: plan.requests,
    zendeskRatio: ratio(zendesk.answered, plan.requests),
    wallSeconds: round(wallSeconds),
    floorSeconds: round(floor, 3),
    floorBoundBy: plan.floorSeconds >= autotaskFloor ? 'zendesk' : 'autotask',
    wallToFloor: ratio(wallSeconds, floor),
    serviceFloorSeconds: round(serviceFloor, 3),
    serviceFloorBoundBy: servicePlan.floorSeconds >= autotaskServiceFloor ? 'zendesk' : 'autotask',
    wallToServiceFloor: ratio(wallSeconds, serviceFloor),
    remoteServiceSeconds: round(serviceSeconds(counters.zendeskService) + serviceSeconds(counters.autotask.service), 3),
    remoteServiceWallSeconds: round(serviceSeconds(counters.zendeskService, 'wall') + serviceSeconds(counters.autotask.service, 'wall'), 3),
    backendPeakRssMb: backendReading.peakRssMb,
    backendCpuSeconds: round(backendCpuSeconds),
    backendCpuShare: wallSeconds > 0 ? round(backendCpuSeconds / wallSeconds) : 0,
    zendeskEndpoints: top(zendesk.endpoints, 6),
    autotaskOperations: top(counters.autotask.byOperationAndEntity, 10),
    remoteServiceMs: top(
      Object.fromEntries(
        Object.entries({ ...counters.zendeskService, ...counters.autotask.service }).map(([key, seen]) => [key, round(seen.cpuMs ?? seen.ms, 1)]),
      ),
      8,
    ),
  }
}

/** Seeds `tickets` × `commentsPerTicket` an hour or more in the past, in calls of 5,000 tickets. */
export async function seedHistory(sandbox: RemoteSandbox, tickets: number, commentsPerTicket: number): Promise<Date> {
  // 23 ms, not 20: whole seconds must not hold a whole number of tickets, or every export page
  // would end exactly on a second's last event and repeat all of it — a history no account has,
  // which made the dry run's page estimate look 11 % short at 100,000 tickets.
  const stepMs = 23
  const startAt = new Date(Date.now() - Math.max(3_600_000, tickets * stepMs + 600_000))
  for (let first = 0; first < tickets; first += 5000) {
    const count = Math.min(5000, tickets - first)
    await sandbox.zendesk('POST', '/_control/seed-tickets', {
      count,
      commentsPerTicket,
      clusterIds: ROUTABLE,
      startAt: new Date(startAt.getTime() + first * stepMs).toISOString(),
      stepMs,
      firstIndex: first,
    })
  }
  return startAt
}

interface BackfillRow {
  id: number
  state: string
  error: string | null
  autotaskRequests: number
  progress: { ticketsDone: number; ticketsCreated: number; notesCreated: number }
}

/**
 * Polls the admin API until the backfill ends; `onProgress` sees each reading (the scale run prints
 * RSS). A refused poll is asked again (a backend busy writing a heap snapshot answers late): only
 * twenty in a row end the wait.
 */
export async function awaitBackfill(stack: BenchStack, id: number, onProgress?: (backfill: BackfillRow) => void): Promise<BackfillRow> {
  let refused = 0
  for (;;) {
    const response = await stack.admin.get('/backfill').catch((error: unknown) => ({ status: 0, body: { message: String(error) } }))
    if (response.status !== 200) {
      if (++refused >= 20) throw new Error(`the backfill list answered ${response.status} twenty times: ${JSON.stringify(response.body)}`)
      await new Promise((resolve) => setTimeout(resolve, 1000))
      continue
    }
    refused = 0
    const list = (response.body as { backfills: BackfillRow[] }).backfills
    const backfill = list.find((candidate) => candidate.id === id)
    if (!backfill) throw new Error(`backfill ${id} is not listed`)
    onProgress?.(backfill)
    if (['succeeded', 'failed', 'paused', 'waiting_budget'].includes(backfill.state)) return backfill
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** The backfill's start date: the UTC day the seeded history starts (the emulator's demo tickets are a day older). */
export const startDateOf = (startAt: Date) => startAt.toISOString().slice(0, 10)

const finishedCycles = async (stack: BenchStack) =>
  (await stack.database.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_runs WHERE kind = 'cycle' AND status <> 'running'")).rows[0]!.n

/** A cycle now: a resumed connection asks for one (the schedule's next one is a day away). */
async function askForCycle(stack: BenchStack): Promise<void> {
  await stack.admin.post(`/connections/${stack.connectionId}/pause`)
  await stack.admin.post(`/connections/${stack.connectionId}/resume`)
}

/**
 * Asks for cycles until `done` holds, as the scheduler would: when a cycle ends with work left
 * (a throttled or retried ticket waits for the next one), the waiting tickets are made due and
 * the next cycle is asked for at once. Returns the cycles it took.
 */
async function cyclesUntil(stack: BenchStack, done: (counts: Awaited<ReturnType<typeof linkCounts>>) => boolean, maxCycles = 20): Promise<number> {
  let cycles = 0
  for (;;) {
    const finished = await finishedCycles(stack)
    await askForCycle(stack)
    cycles += 1
    while ((await finishedCycles(stack)) <= finished) await new Promise((resolve) => setTimeout(resolve, 200))
    await settled(stack, 600_000)
    if (done(await linkCounts(stack)) || cycles >= maxCycles) return cycles
    await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE dirty_since IS NOT NULL')
  }
}

export async function benchSyncThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  let startAt = new Date()
  const stack = await startBenchStack({
    transport: options.transport,
    database: `bench_${options.transport}_${options.profile.name}_${process.pid}`,
    seed: async (sandbox) => {
      startAt = await seedHistory(sandbox, options.tickets, options.commentsPerTicket)
    },
  })
  try {
    const { zendeskLatency: latency, profile } = options
    await stack.zendeskControl('PUT', '/faults', { latencyMs: latency.minMs, latencyMaxMs: latency.maxMs, latencySeed: 17 })
    await stack.sandbox.autotaskControl('POST', '/faults', { latencyMs: profile.autotaskMs, latencyPerEntityMs: profile.autotaskPerEntityMs })
    const startDate = startDateOf(startAt)
    const backfillWork = (tickets: number, notes: number): PhaseInput => ({
      phase: '',
      autotaskWork: { ticketCreates: tickets, noteCreates: notes, ticketUpdates: 0, routeLookups: ROUTABLE.length },
      zendeskWork: { exportedTickets: tickets, commentTickets: tickets, commentsPerTicket: options.commentsPerTicket, ticketUpdates: 0 },
    })
    // What the backfill must do: every seeded ticket and every comment after its first.
    const expected = backfillWork(options.tickets, options.tickets * (options.commentsPerTicket - 1))

    let estimate: PhaseResult['estimate']
    let dryRunSeconds = 0
    const dryRun = await measure(
      stack,
      options,
      {
        phase: 'backfill dry run',
        // A dry run routes and counts: the export, one route query; comments may be sampled, not all read.
        autotaskWork: { ...expected.autotaskWork, ticketCreates: 0, noteCreates: 0 },
        zendeskWork: { ...expected.zendeskWork, commentTickets: 0 },
      },
      async () => {
        const { seconds, view } = await runDryRun(stack, { startDate, includeSolved: false })
        const body = view.estimate!
        dryRunSeconds = seconds
        estimate = { autotaskRequests: body.autotaskRequests, zendeskRequests: body.zendeskRequests, routedTickets: body.routedTickets, notes: body.notes }
      },
    )
    dryRun.estimate = estimate
    dryRun.answerSeconds = round(dryRunSeconds)

    let backfillId = 0
    const backfill = await measure(stack, options, { ...expected, phase: 'backfill' }, async () => {
      const started = await stack.admin.post('/backfill', { startDate, includeSolved: false, estimate: estimate ? { ...estimate } : undefined })
      if (started.status !== 202) throw new Error(`backfill answered ${started.status}: ${JSON.stringify(started.body)}`)
      backfillId = Number(started.body.id)
      const ended = await awaitBackfill(stack, backfillId)
      if (ended.state !== 'succeeded') console.warn(`backfill ended ${ended.state}: ${ended.error ?? ''}`)
    })
    const phases = [dryRun, backfill]

    if (options.notesAdded > 0 || options.ticketsChanged > 0) {
      const { rows } = await stack.database.pool.query<{ zendesk_ticket_id: number; autotask_ticket_id: number }>(
        "SELECT zendesk_ticket_id, autotask_ticket_id FROM ticket_links WHERE state = 'linked' ORDER BY id",
      )
      /**
       * Technicians add notes and agents change tickets (round `round` picks other tickets), then
       * cycles run until all of it is mirrored. `backfillRows`: the backfill's tickets the ticket
       * scan must read (the first cycle after it must see its creates; a later one need not).
       */
      const cyclePhase = async (phase: string, round: number, backfillRows: number) => {
        for (let index = 0; index < options.notesAdded; index += 1) {
          const link = rows[(index * 7 + round) % rows.length]!
          await stack.sandbox.autotaskControl('POST', `/tickets/${link.autotask_ticket_id}/notes`, {
            title: `Onsite ${round}.${index}`,
            description: `Technician work ${round}.${index}`,
          })
        }
        const changed = Array.from({ length: options.ticketsChanged }, (_, index) => rows[(index * 13 + round * 3) % rows.length]!.zendesk_ticket_id)
        await stack.zendeskControl('POST', '/agent-changes', { ticketIds: changed, subjectPrefix: `Bench ticket renamed ${round}`, comment: 'Agent follow-up' })
        const before = await linkCounts(stack)
        let cycleCount = 0
        const cycle = await measure(
          stack,
          options,
          {
            phase,
            autotaskWork: {
              ticketCreates: 0,
              noteCreates: options.ticketsChanged,
              ticketUpdates: options.ticketsChanged,
              routeLookups: 0,
              scans: [
                { entity: 'Ticket', rows: backfillRows },
                { entity: 'TicketNote', rows: options.notesAdded },
              ],
            },
            // The changed tickets' new comments, and the technicians' notes as Zendesk comments (a ticket update each).
            zendeskWork: {
              exportedTickets: options.ticketsChanged,
              commentTickets: options.ticketsChanged,
              commentsPerTicket: 1,
              ticketUpdates: options.notesAdded,
            },
          },
          async () => {
            cycleCount = await cyclesUntil(
              stack,
              (now) => now.comments - before.comments >= options.notesAdded && now.notes - before.notes >= options.ticketsChanged,
            )
          },
        )
        cycle.cycles = cycleCount
        phases.push(cycle)
      }
      await cyclePhase('first cycle after backfill', 0, options.tickets)
      // The same work again: the steady cycle, measured against a minimum that reads none of the
      // backfill's tickets (its scan's overlap still covers them here: that cost shows, it is not hidden).
      await cyclePhase('steady cycle', 1, 0)
    }
    const accuracy = (estimated: number | undefined, actual: number) =>
      estimated === undefined || actual === 0 ? null : round((estimated - actual) / actual, 3)
    return {
      transport: options.transport,
      profile: profile.name,
      options,
      phases,
      dryRunAccuracy: {
        autotask: accuracy(estimate?.autotaskRequests, backfill.autotaskRequests),
        zendesk: accuracy(estimate?.zendeskRequests, backfill.zendeskRequests),
      },
    }
  } finally {
    await stack.close()
  }
}
