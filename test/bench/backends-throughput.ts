import { createHmac } from 'node:crypto'
import { createZendeskClient } from '../../server/src/adapters/zendesk/zendesk-client'
import { createWebhookRepository } from '../../server/src/db/repositories/webhook-repository'
import { createSecretBox } from '../../server/src/security/secret-box'
import { TEST_SECRET_KEY } from '../helpers/remote-tenant'
import { readProcess, ROUTABLE, startBenchStack } from './bench-stack'
import { readCounters, resetCounters, zendeskRequests } from './sync-throughput'

/**
 * One vs several backends (separate processes on one PostgreSQL, one emulator process) on the same
 * workload: `tickets` new Zendesk tickets with `commentsPerTicket` comments each, every one announced
 * by a signed webhook delivered round-robin to the backends (a load balancer's part), until every
 * ticket and note exists in Autotask. Both emulators answer in 20 ms; Zendesk's per-minute limits
 * are raised so that the backends, not the emulated budget, are measured (the budget binds either way
 * in production: the README's capacity section says which).
 */
export interface BackendsResult {
  backends: number
  tickets: number
  items: number
  wallSeconds: number
  deliverySeconds: number
  itemsPerSecond: number
  autotaskRequests: number
  zendeskRequests: number
  zendesk429: number
  /** Per backend process: peak RSS and CPU over the workload. */
  backendPeakRssMb: number[]
  backendCpuSeconds: number[]
}

const DELIVERY_CONCURRENCY = 8

export async function benchBackends(options: { backends: number; tickets: number; commentsPerTicket: number }): Promise<BackendsResult> {
  const seeded: number[] = []
  const stack = await startBenchStack({
    transport: 'soap',
    database: `bench_backends_${options.backends}_${process.pid}`,
    backends: options.backends,
    seed: async (sandbox) => {
      // As seedHistory, keeping the ids: the workload is these tickets, not the emulator's demo ones.
      const startAt = Date.now() - Math.max(3_600_000, options.tickets * 20 + 600_000)
      for (let first = 0; first < options.tickets; first += 5000) {
        const count = Math.min(5000, options.tickets - first)
        const made = await sandbox.zendesk<{ count: number; firstId: number; lastId: number }>('POST', '/_control/seed-tickets', {
          count,
          commentsPerTicket: options.commentsPerTicket,
          clusterIds: ROUTABLE,
          startAt: new Date(startAt + first * 20).toISOString(),
          stepMs: 20,
          firstIndex: first,
        })
        if (made.lastId - made.firstId + 1 !== made.count) throw new Error(`seeded ids are not contiguous: ${JSON.stringify(made)}`)
        for (let id = made.firstId; id <= made.lastId; id += 1) seeded.push(id)
      }
    },
  })
  try {
    await stack.zendeskControl('PUT', '/limits', {
      incrementalExportsPerMinute: 100_000,
      accountRequestsPerMinute: 100_000,
      ticketUpdatesPerMinute: 100_000,
      updatesPerTicketPerUser: 10_000,
    })
    await stack.zendeskControl('PUT', '/faults', { latencyMs: 20, latencyMaxMs: 20, latencySeed: 17 })
    await stack.sandbox.autotaskControl('POST', '/faults', { latencyMs: 20, latencyPerEntityMs: 0 })
    const zendesk = createZendeskClient({ baseUrl: `${stack.sandbox.origin}/sandbox/zendesk`, auth: { type: 'oauth', accessToken: 'sandbox-oauth-token' } })
    // The emulator's own deliveries would go to one backend; the benchmark delivers as a load balancer spreads them.
    const webhook = await zendesk.createWebhook({ name: 'PSA Link (bench)', endpoint: `${stack.origin}/webhooks/zendesk/${stack.accountId}` })
    const signingSecret = await zendesk.getWebhookSigningSecret(webhook.id)
    await createWebhookRepository(stack.database.pool, createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex'))).saveWebhook(
      stack.accountId,
      webhook.id,
      signingSecret,
    )
    const { ticket } = await stack.sandbox.zendesk<{ ticket: { requester_id: number } }>('GET', `/api/v2/tickets/${seeded[0]!}.json`)
    // A customer's change: the integration user's own would rightly be ignored.
    const requesterId = ticket.requester_id

    await resetCounters(stack)
    const cpuBefore = stack.backends.map(({ process }) => readProcess(process.child.pid!).cpuSeconds)
    const expectedNotes = options.tickets * (options.commentsPerTicket - 1)
    const started = performance.now()
    let next = 0
    const deliver = async () => {
      while (next < seeded.length) {
        const index = next++
        const backend = stack.backends[index % stack.backends.length]!
        const status = await deliverWebhook(backend.origin, stack.accountId, signingSecret, seeded[index]!, requesterId)
        if (status !== 200) throw new Error(`webhook delivery to backend ${index % stack.backends.length} answered ${status}`)
      }
    }
    await Promise.all(Array.from({ length: DELIVERY_CONCURRENCY }, deliver))
    const deliverySeconds = (performance.now() - started) / 1000
    const deadline = Date.now() + 1_800_000
    for (;;) {
      const { rows } = await stack.database.pool.query<{ tickets: number; notes: number }>(
        `SELECT (SELECT count(*)::int FROM ticket_links WHERE state = 'linked') AS tickets,
                (SELECT count(*)::int FROM comment_links WHERE origin = 'zendesk' AND state = 'done') AS notes`,
      )
      if (rows[0]!.tickets >= options.tickets && rows[0]!.notes >= expectedNotes) break
      if (Date.now() > deadline) throw new Error(`not done within 30 minutes: ${JSON.stringify(rows[0])}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const wallSeconds = (performance.now() - started) / 1000
    const readings = stack.backends.map(({ process }) => readProcess(process.child.pid!))
    const counters = await readCounters(stack)
    const zendeskCount = zendeskRequests(counters.zendesk)
    const items = options.tickets + expectedNotes
    return {
      backends: options.backends,
      tickets: options.tickets,
      items,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      deliverySeconds: Number(deliverySeconds.toFixed(2)),
      itemsPerSecond: Number((items / wallSeconds).toFixed(1)),
      autotaskRequests: counters.autotask.total,
      zendeskRequests: zendeskCount.answered,
      zendesk429: zendeskCount.rejected,
      backendPeakRssMb: readings.map((reading) => reading.peakRssMb),
      backendCpuSeconds: readings.map((reading, index) => Number((reading.cpuSeconds - cpuBefore[index]!).toFixed(2))),
    }
  } finally {
    await stack.close()
  }
}

/** A ticket change as Zendesk announces it, signed with the webhook's secret. */
async function deliverWebhook(origin: string, accountId: number, signingSecret: string, ticketId: number, actorId: number): Promise<number> {
  const body = JSON.stringify({
    type: 'zen:event-type:ticket.comment_added',
    subject: `zen:ticket:${ticketId}`,
    detail: { id: String(ticketId), actor_id: String(actorId) },
  })
  const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const signature = createHmac('sha256', signingSecret)
    .update(timestamp + body)
    .digest('base64')
  const response = await fetch(`${origin.replace(/\/$/, '')}/webhooks/zendesk/${accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': timestamp },
    body,
  })
  await response.text()
  return response.status
}
