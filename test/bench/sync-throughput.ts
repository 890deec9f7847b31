import { createAutotaskEmulator } from '../../server/sandbox/src/autotask'
import { createZendeskEmulator } from '../../server/sandbox/src/zendesk'
import { cycle } from '../helpers/sync-driver'
import { startTestStack, type TestStack } from '../helpers/test-stack'

/**
 * The engine's throughput (issue 5's benchmark): a full backfill of seeded Zendesk tickets, then
 * one cycle after technicians add notes and agents change tickets, with latency on every request
 * and the real limits (Autotask: 3 threads per entity; Zendesk Enterprise: 700 requests/min, 100
 * ticket updates/min, 10 exports/min). Reports requests against the batching minimum and wall
 * time against the floor that the rate limits impose. Zendesk's webhooks are off: the phases
 * measure what cycles do (a webhook's per-ticket sync is measured by the sidebar benchmark).
 */
export interface ThroughputOptions {
  transport: 'soap' | 'rest'
  tickets: number
  commentsPerTicket: number
  latencyMs: number
  notesAdded: number
  ticketsChanged: number
}

const ROUTABLE = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006']
const ZENDESK_LIMITS = { accountRequestsPerMinute: 700, ticketUpdatesPerMinute: 100, incrementalExportsPerMinute: 10, updatesPerTicketPerUser: 30 }

interface PhaseResult {
  phase: string
  /** Cycles it took: a throttled or retried ticket waits for the next one. */
  cycles: number
  wallSeconds: number
  itemsSynced: number
  itemsPerSecond: number
  autotaskRequests: number
  zendeskRequests: number
  requestsPerItem: number
  autotaskMinimum: number
  autotaskRatio: number
  rateLimitFloorSeconds: number
  wallToFloor: number
  peakRssMb: number
  /** Where the Zendesk requests went (the busiest endpoints), to see what the time was spent on. */
  zendeskEndpoints: Record<string, number>
  /** Where the Autotask requests went (operation and entity), to see what the ratio is made of. */
  autotaskOperations: Record<string, number>
}

const sum = (values: Record<string, number>, match: (key: string) => boolean) => Object.entries(values).filter(([key]) => match(key)).reduce((total, [, count]) => total + count, 0)

/** The counters that grew most between two readings. */
function busiest(before: Record<string, number>, after: Record<string, number>, top: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, count]) => [key, count - (before[key] ?? 0)] as const)
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top),
  )
}

async function counts(stack: TestStack) {
  const zendesk = stack.sandbox.zendesk.counters()
  const { rows } = await stack.database.pool.query<{ tickets: number; notes: number; comments: number }>(
    `SELECT (SELECT count(*)::int FROM ticket_links WHERE state = 'linked') AS tickets,
            (SELECT count(*)::int FROM comment_links WHERE origin = 'zendesk' AND state = 'done') AS notes,
            (SELECT count(*)::int FROM comment_links WHERE origin = 'autotask' AND state = 'done') AS comments`,
  )
  return {
    zendeskByEndpoint: zendesk,
    autotaskByOperation: stack.sandbox.autotask.counters().byOperationAndEntity,
    autotask: stack.sandbox.autotask.counters().total,
    zendesk: sum(zendesk, () => true),
    zendeskWrites: sum(zendesk, (key) => key.startsWith('PUT /api/v2/tickets')),
    zendeskExports: sum(zendesk, (key) => key.includes('/incremental/')),
    ...rows[0]!,
  }
}

async function measure(stack: TestStack, options: ThroughputOptions, phase: string, work: () => Promise<number>): Promise<PhaseResult> {
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100)
  const before = await counts(stack)
  const started = performance.now()
  const cycles = await work()
  const wallSeconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const after = await counts(stack)
  const tickets = after.tickets - before.tickets
  const notes = after.notes - before.notes
  const comments = after.comments - before.comments
  const items = tickets + notes + comments
  const autotask = after.autotask - before.autotask
  const zendesk = after.zendesk - before.zendesk
  // The batching minimum: SOAP writes 200 entities per call, REST one; every query returns 500 rows.
  const perWrite = options.transport === 'soap' ? 200 : 1
  const rowsRead = Math.max(1, tickets + notes + (phase === 'backfill' ? 0 : options.notesAdded))
  const autotaskMinimum = Math.ceil(tickets / perWrite) + Math.ceil(notes / perWrite) + Math.ceil(rowsRead / 500)
  // What the limits allow: Zendesk requests, ticket updates and exports per minute, and Autotask's
  // 3 parallel requests each taking the added latency.
  const floor = Math.max(
    ((after.zendesk - before.zendesk) / ZENDESK_LIMITS.accountRequestsPerMinute) * 60,
    ((after.zendeskWrites - before.zendeskWrites) / ZENDESK_LIMITS.ticketUpdatesPerMinute) * 60,
    (Math.max(0, after.zendeskExports - before.zendeskExports - ZENDESK_LIMITS.incrementalExportsPerMinute) / ZENDESK_LIMITS.incrementalExportsPerMinute) * 60,
    (autotaskMinimum * options.latencyMs) / 1000 / 3,
  )
  const round = (value: number, digits = 2) => Number(value.toFixed(digits))
  return {
    phase,
    cycles,
    wallSeconds: round(wallSeconds),
    itemsSynced: items,
    itemsPerSecond: round(items / wallSeconds, 1),
    autotaskRequests: autotask,
    zendeskRequests: zendesk,
    requestsPerItem: round((autotask + zendesk) / Math.max(1, items)),
    autotaskMinimum,
    autotaskRatio: round(autotask / Math.max(1, autotaskMinimum)),
    rateLimitFloorSeconds: round(floor),
    wallToFloor: round(wallSeconds / Math.max(floor, 0.001)),
    peakRssMb: Math.round(peak / 1024 / 1024),
    zendeskEndpoints: busiest(before.zendeskByEndpoint, after.zendeskByEndpoint, 6),
    autotaskOperations: busiest(before.autotaskByOperation, after.autotaskByOperation, 10),
  }
}

/** Seeds Zendesk before PSA Link is connected (so no webhook fires for the history). */
function seed(zendesk: ReturnType<typeof createZendeskEmulator>, options: ThroughputOptions): void {
  const agent = zendesk.agents()[0]!
  // Seeded two hours ago, so Zendesk's one-minute export lag does not hide them.
  zendesk.setNow(new Date(Date.now() - 2 * 3_600_000))
  for (let index = 0; index < options.tickets; index += 1) {
    const ticket = zendesk.createTicket({
      subject: `Bench ticket ${index}`,
      comment: { htmlBody: `<p>Problem report ${index}</p>`, public: true },
      requesterId: zendesk.requester().id,
      clusterId: ROUTABLE[index % ROUTABLE.length]!,
      priority: 'normal',
    })
    for (let number = 1; number < options.commentsPerTicket; number += 1) {
      zendesk.addComment(ticket.id, { body: `Update ${number} on ${index}`, public: number % 2 === 0, authorId: agent.id })
    }
  }
  zendesk.setNow(null)
}

/**
 * Runs cycles until the phase's work is all done (`expected` items synced since `from`), as a
 * scheduler would; stops early when a cycle changes nothing (something could not be done).
 */
async function runUntilDone(stack: TestStack, expected: number): Promise<number> {
  const from = await counts(stack)
  for (let round = 0; round < 20; round += 1) {
    const before = await counts(stack)
    await cycle(stack)
    const after = await counts(stack)
    const done = after.tickets - from.tickets + (after.notes - from.notes) + (after.comments - from.comments)
    if (done >= expected) return round + 1
    if (after.tickets === before.tickets && after.notes === before.notes && after.comments === before.comments) return round + 1
    // Waiting tickets (throttled, retrying) are due now: the scheduler's next cycle would find them.
    await stack.database.pool.query('UPDATE ticket_sync_state SET next_attempt_at = now() WHERE dirty_since IS NOT NULL')
  }
  return 20
}

export async function benchSyncThroughput(options: ThroughputOptions): Promise<{ options: ThroughputOptions; phases: PhaseResult[] }> {
  const zendesk = createZendeskEmulator({ seedTickets: false })
  const autotask = createAutotaskEmulator()
  zendesk.setLimits(ZENDESK_LIMITS)
  seed(zendesk, options)
  // The benchmark may spend Autotask's whole hourly budget (REST writes one entity per call).
  const stack = await startTestStack({ emulators: { zendesk, autotask }, env: { AUTOTASK_BUDGET_SHARE: '1' } })
  try {
    await stack.database.pool.query('UPDATE autotask_connections SET transport = $1, updated_at = now()', [options.transport])
    for (const webhook of zendesk.state().webhooks.webhooks.values()) webhook.status = 'inactive'
    zendesk.setFaults({ latencyMs: options.latencyMs })
    autotask.setFaults({ latencyMs: options.latencyMs })
    zendesk.resetCounters()
    autotask.resetCounters()

    const backfill = await measure(stack, options, 'backfill', () => runUntilDone(stack, options.tickets * options.commentsPerTicket))

    const { rows } = await stack.database.pool.query<{ zendesk_ticket_id: number; autotask_ticket_id: number }>("SELECT zendesk_ticket_id, autotask_ticket_id FROM ticket_links WHERE state = 'linked' ORDER BY id")
    for (let index = 0; index < options.notesAdded; index += 1) {
      const link = rows[(index * 7) % rows.length]!
      autotask.addTechnicianNote(link.autotask_ticket_id, { title: `Onsite ${index}`, description: `Technician work ${index}` })
    }
    zendesk.setExportLagSeconds(0)
    const agent = zendesk.agents()[0]!
    for (let index = 0; index < options.ticketsChanged; index += 1) {
      const link = rows[(index * 13) % rows.length]!
      zendesk.updateTicket(link.zendesk_ticket_id, { subject: `Bench ticket renamed ${index}` })
      zendesk.addComment(link.zendesk_ticket_id, { body: `Agent follow-up ${index}`, public: true, authorId: agent.id })
    }
    const incremental = await measure(stack, options, 'cycle after changes', () => runUntilDone(stack, options.notesAdded + options.ticketsChanged))
    return { options, phases: [backfill, incremental] }
  } finally {
    await stack.close()
  }
}
