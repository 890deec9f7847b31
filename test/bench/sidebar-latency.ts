import { pathToFileURL } from 'node:url'
import { cycle, linkOf } from '../helpers/sync-driver'
import { agentOf, openTicket } from '../helpers/scenario'
import type { TestStack } from '../helpers/test-stack'
import { callApi, sidebarToken, startApiStack } from '../integration/api/api-stack'

const EMULATOR_LATENCY_MS = 20
/** Per latency: alone, then CONCURRENCY at once, then while a cycle runs. */
const SEQUENTIAL = Number(process.env.BENCH_SIDEBAR_SEQUENTIAL ?? 100)
const CONCURRENT_ROUNDS = Number(process.env.BENCH_SIDEBAR_CONCURRENT_ROUNDS ?? 15)
const CONCURRENCY = 4
const DURING_CYCLE = Number(process.env.BENCH_SIDEBAR_DURING_CYCLE ?? 60)
/** New tickets the background cycle has to create in Autotask, so it runs while samples are taken. */
const CYCLE_TICKETS = Number(process.env.BENCH_SIDEBAR_CYCLE_TICKETS ?? 150)
const POOL = 24

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!
}

function summary(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (value: number) => Math.round(value)
  return {
    samples: samples.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  }
}

interface Linked {
  zendeskId: number
  autotaskId: number
}

async function linkedTickets(stack: TestStack, count: number, label: string): Promise<Linked[]> {
  const tickets = Array.from({ length: count }, (_, index) => openTicket(stack, { clusterId: 'CL-1001', subject: `${label} ${index + 1}` }))
  await cycle(stack)
  return Promise.all(tickets.map(async (ticket) => ({ zendeskId: ticket.id, autotaskId: (await linkOf(stack, ticket.id))!.autotask_ticket_id })))
}

function setWebhooksActive(stack: TestStack, active: boolean): void {
  for (const webhook of stack.sandbox.zendesk.state().webhooks.webhooks.values()) webhook.status = active ? 'active' : 'inactive'
}

const hasNote = (stack: TestStack, ticket: Linked, text: string) =>
  stack.sandbox.autotask.listNotes(ticket.autotaskId).some((note) => String(note.fields.Description).includes(text))

/** Waits for `condition`, checking every 2 ms (the measurement's own resolution). */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

type Sampler = (ticket: Linked, tag: string) => Promise<number>

/**
 * Runs a sampler alone, in rounds of CONCURRENCY at once, and while a cycle creates CYCLE_TICKETS
 * new tickets in Autotask (started from the queue, as the schedule does). Each ticket serves many
 * samples: every sample adds its own new comment first.
 */
async function collect(stack: TestStack, pool: Linked[], sample: Sampler, label: string) {
  const remoteCalls = () => stack.sandbox.autotask.counters().total + Object.values(stack.sandbox.zendesk.counters()).reduce((sum, count) => sum + count, 0)
  const callsBefore = remoteCalls()
  let next = 0
  const ticket = () => pool[next++ % pool.length]!
  const alone: number[] = []
  // CPU of this one process (backend, emulators and the bench's own client) per sample taken alone:
  // on a loaded machine, what the wall-clock numbers cannot show.
  const cpuBefore = process.cpuUsage()
  for (let index = 0; index < SEQUENTIAL; index += 1) alone.push(await sample(ticket(), `${label} alone ${index}`))
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMsPerSample = Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, SEQUENTIAL))
  // Each remote call waits EMULATOR_LATENCY_MS: the floor of one sample, however fast PSA Link is.
  const remoteCallsPerSample = Math.round(((remoteCalls() - callsBefore) / Math.max(1, SEQUENTIAL)) * 10) / 10
  const concurrent: number[] = []
  for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
    concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => sample(ticket(), `${label} concurrent ${round}.${index}`)))))
  }

  if (DURING_CYCLE === 0) {
    const all = [...alone, ...concurrent]
    return {
      ...summary(all),
      alone: { ...summary(alone), remoteCallsPerSample, remoteFloorMs: Math.round(remoteCallsPerSample * EMULATOR_LATENCY_MS), cpuMsPerSample },
      concurrent: { ...summary(concurrent), concurrency: CONCURRENCY },
    }
  }
  // The load is the cycle's: its new tickets fire no webhooks.
  const webhooks = [...stack.sandbox.zendesk.state().webhooks.webhooks.values()].map((hook) => [hook, hook.status] as const)
  setWebhooksActive(stack, false)
  for (let index = 0; index < CYCLE_TICKETS; index += 1) openTicket(stack, { clusterId: 'CL-1001', subject: `${label} cycle load ${index + 1}` })
  for (const [hook, status] of webhooks) hook.status = status
  await stack.app.cycleScheduler.requestNow()
  const cycleRunning = async () => {
    const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE kind = 'cycle' AND status = 'running'`)
    return rows[0].n > 0
  }
  const deadline = performance.now() + 30_000
  while (!(await cycleRunning())) {
    if (performance.now() > deadline) throw new Error('the background cycle did not start')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const duringCycle: number[] = []
  let overlapped = 0
  for (let index = 0; index < DURING_CYCLE; index += 1) {
    duringCycle.push(await sample(ticket(), `${label} during cycle ${index}`))
    if (await cycleRunning()) overlapped += 1
  }
  // The next measurement starts from a quiet system.
  while (await cycleRunning()) await new Promise((resolve) => setTimeout(resolve, 50))
  const all = [...alone, ...concurrent, ...duringCycle]
  return {
    ...summary(all),
    alone: { ...summary(alone), remoteCallsPerSample, remoteFloorMs: Math.round(remoteCallsPerSample * EMULATOR_LATENCY_MS), cpuMsPerSample },
    concurrent: { ...summary(concurrent), concurrency: CONCURRENCY },
    duringCycle: { ...summary(duringCycle), cycleStillRunningAfter: overlapped },
  }
}

/**
 * The sidebar's two latencies with 20 ms added to every emulator request: Sync now (an agent's
 * comment, then the click, until the answer with the new state) and a Zendesk webhook (a comment,
 * until the note exists in Autotask). Each sample is a real per-ticket sync over HTTP; some are
 * taken alone, some CONCURRENCY at once and some while a cycle runs.
 */
export async function benchSidebarLatency(): Promise<Record<string, unknown>> {
  const stack = await startApiStack()
  try {
    const agent = agentOf(stack)
    setWebhooksActive(stack, false)
    const syncNowPool = await linkedTickets(stack, POOL, 'Sync now bench')
    const webhookPool = await linkedTickets(stack, POOL, 'Webhook bench')
    stack.sandbox.autotask.setFaults({ latencyMs: EMULATOR_LATENCY_MS })
    stack.sandbox.zendesk.setFaults({ latencyMs: EMULATOR_LATENCY_MS })

    // Sync now alone: the webhook would sync the ticket before the click.
    let answeredQueued = 0
    const syncNow: Sampler = async (ticket, tag) => {
      const text = `Sync now sample ${tag}`
      stack.sandbox.zendesk.addComment(ticket.zendeskId, { body: text, public: true, authorId: agent.id })
      const started = performance.now()
      const answer = await callApi(stack, 'POST', `/api/v1/tickets/${ticket.zendeskId}/sync`, sidebarToken(ticket.zendeskId))
      const elapsed = performance.now() - started
      if (answer.status !== 200) answeredQueued += 1
      else if (!hasNote(stack, ticket, text)) throw new Error(`Sync now of ticket ${ticket.zendeskId} answered before its comment reached Autotask`)
      return elapsed
    }
    const syncNowResult = { ...(await collect(stack, syncNowPool, syncNow, 'sync-now')), answeredQueued }

    setWebhooksActive(stack, true)
    const webhook: Sampler = async (ticket, tag) => {
      const text = `Webhook sample ${tag}`
      const started = performance.now()
      stack.sandbox.zendesk.addComment(ticket.zendeskId, { body: text, public: true, authorId: agent.id })
      await until(() => hasNote(stack, ticket, text), 30_000)
      return performance.now() - started
    }
    const webhookResult = await collect(stack, webhookPool, webhook, 'webhook')

    return {
      emulatorLatencyMs: EMULATOR_LATENCY_MS,
      database: stack.database.kind,
      syncNow: syncNowResult,
      webhook: webhookResult,
      targetP95Ms: 200,
    }
  } finally {
    await stack.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchSidebarLatency(), null, 2))
  process.exit(0)
}
