import { pathToFileURL } from 'node:url'
import { cycle, linkOf } from '../helpers/sync-driver'
import { agentOf, openTicket } from '../helpers/scenario'
import type { TestStack } from '../helpers/test-stack'
import { callApi, eventually, sidebarToken, startApiStack } from '../integration/api/api-stack'

const EMULATOR_LATENCY_MS = 20
const SAMPLES = 30

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!
}

function summary(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (value: number) => Math.round(value)
  return { samples: samples.length, p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), maxMs: round(sorted[sorted.length - 1] ?? Number.NaN) }
}

async function linkedTickets(stack: TestStack, count: number): Promise<Array<{ zendeskId: number; autotaskId: number }>> {
  const tickets = Array.from({ length: count }, (_, index) => openTicket(stack, { clusterId: 'CL-1001', subject: `Bench ticket ${index + 1}` }))
  await cycle(stack)
  return Promise.all(tickets.map(async (ticket) => ({ zendeskId: ticket.id, autotaskId: (await linkOf(stack, ticket.id))!.autotask_ticket_id })))
}

function setWebhooksActive(stack: TestStack, active: boolean): void {
  for (const webhook of stack.sandbox.zendesk.state().webhooks.webhooks.values()) webhook.status = active ? 'active' : 'inactive'
}

/**
 * The sidebar's two latencies with 20 ms added to every emulator request: Sync now (an agent's
 * comment, then the click, until the answer with the new state) and a Zendesk webhook (a comment,
 * until the note exists in Autotask). Each sample is a real per-ticket sync over HTTP.
 */
export async function benchSidebarLatency(): Promise<Record<string, unknown>> {
  const stack = await startApiStack()
  try {
    stack.sandbox.autotask.setFaults({ latencyMs: EMULATOR_LATENCY_MS })
    stack.sandbox.zendesk.setFaults({ latencyMs: EMULATOR_LATENCY_MS })
    const agent = agentOf(stack)

    // Sync now alone: the webhook would sync the ticket before the click.
    setWebhooksActive(stack, false)
    const syncNowMs: number[] = []
    let syncNowQueued = 0
    const syncNowTickets = await linkedTickets(stack, SAMPLES)
    // An agent clicks long after the last sync: within 30 s the API answers that sync's result instead.
    await stack.database.pool.query(
      `UPDATE ticket_sync_state SET last_attempt_at = now() - interval '5 minutes' WHERE zendesk_account_id = $1 AND zendesk_ticket_id = ANY($2::bigint[])`,
      [stack.accountId, syncNowTickets.map((ticket) => ticket.zendeskId)],
    )
    for (const ticket of syncNowTickets) {
      stack.sandbox.zendesk.addComment(ticket.zendeskId, { body: `Sync now sample for ${ticket.zendeskId}`, public: true, authorId: agent.id })
      const started = performance.now()
      const answer = await callApi(stack, 'POST', `/api/v1/tickets/${ticket.zendeskId}/sync`, sidebarToken(ticket.zendeskId))
      syncNowMs.push(performance.now() - started)
      if (answer.status !== 200) syncNowQueued += 1
      const text = `Sync now sample for ${ticket.zendeskId}`
      if (!stack.sandbox.autotask.listNotes(ticket.autotaskId).some((note) => String(note.fields.Description).includes(text))) {
        throw new Error(`Sync now of ticket ${ticket.zendeskId} answered before its comment reached Autotask`)
      }
    }

    setWebhooksActive(stack, true)
    const webhookMs: number[] = []
    for (const ticket of await linkedTickets(stack, SAMPLES)) {
      const text = `Webhook sample for ${ticket.zendeskId}`
      const started = performance.now()
      stack.sandbox.zendesk.addComment(ticket.zendeskId, { body: text, public: true, authorId: agent.id })
      await eventually(() => stack.sandbox.autotask.listNotes(ticket.autotaskId).some((note) => String(note.fields.Description).includes(text)), 15_000)
      webhookMs.push(performance.now() - started)
    }

    return {
      emulatorLatencyMs: EMULATOR_LATENCY_MS,
      syncNowRoundTrip: { ...summary(syncNowMs), answeredQueued: syncNowQueued },
      webhookToAutotask: summary(webhookMs),
      targetP95Ms: 1000,
    }
  } finally {
    await stack.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchSidebarLatency(), null, 2))
  process.exit(0)
}
