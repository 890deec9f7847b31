import type { IncomingMessage, ServerResponse } from 'node:http'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { cycle, linkOf } from '../helpers/sync-driver'
import { agentOf, openTicket } from '../helpers/scenario'
import { callApi, sidebarToken, startApiStack } from '../integration/api/api-stack'

/**
 * Where one Sync now spends its time: every SQL statement (whichever connection: the app's pool,
 * pg-boss's, the signal listener) and every HTTP request the backend serves (the click itself and
 * each emulator call, 20 ms latency each), as a timeline from the click. Warm-up samples first, so
 * caches are as a busy backend has them. `npx tsx test/bench/sync-now-trace.ts` (DATABASE_URL for
 * real PostgreSQL; BENCH_TRACE_SAMPLES traced clicks, 3 by default).
 */
const EMULATOR_LATENCY_MS = 20
const WARM_UP = 5
const SAMPLES = Number(process.env.BENCH_TRACE_SAMPLES ?? 3)
/** Clicks go round this many tickets, as the latency bench's do (a tail can belong to a ticket's history). */
const TICKETS = Number(process.env.BENCH_TRACE_TICKETS ?? 1)
/** Only clicks slower than this are printed (with many samples, the tail is what needs reading). */
const SLOWER_THAN_MS = Number(process.env.BENCH_TRACE_SLOWER_MS ?? 0)

interface TraceEvent {
  startMs: number
  endMs: number
  what: string
}

let tracing: TraceEvent[] | null = null
let origin = 0

type QueryCallback = (error: Error | null, result: unknown) => void

function traced(what: string): (() => void) | null {
  if (!tracing) return null
  const event = { startMs: performance.now() - origin, endMs: Number.NaN, what }
  tracing.push(event)
  return () => (event.endMs = performance.now() - origin)
}

/** Times every statement of every pg client of this process (pg-boss uses the same module). */
function traceSql(): void {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown
  pg.Client.prototype.query = function (this: pg.Client & { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
    const first = args[0] as string | { text?: string }
    const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 90)
    const done = traced(`SQL [${this.connectionParameters?.application_name ?? 'app'}] ${text}`)
    if (!done) return original.apply(this, args)
    const last = args.length - 1
    if (typeof args[last] === 'function') {
      const callback = args[last] as QueryCallback
      args[last] = (error: Error | null, result: unknown) => {
        done()
        callback(error, result)
      }
      return original.apply(this, args)
    }
    const result = original.apply(this, args) as Promise<unknown> | undefined
    void result?.then(done, done)
    return result
  } as typeof pg.Client.prototype.query
}

export async function traceSyncNow(): Promise<void> {
  traceSql()
  const stack = await startApiStack()
  try {
    stack.app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      const action = request.headers.soapaction ? ` ${String(request.headers.soapaction).split('/').pop()}` : ''
      const done = traced(`HTTP ${request.method} ${(request.url ?? '').split('?')[0]}${action}`)
      if (done) response.on('finish', done)
    })
    for (const webhook of stack.sandbox.zendesk.state().webhooks.webhooks.values()) webhook.status = 'inactive'
    const tickets = Array.from({ length: TICKETS }, (_, index) => openTicket(stack, { clusterId: 'CL-1001', subject: `Sync now trace ${index + 1}` }))
    await cycle(stack)
    for (const ticket of tickets) if (!(await linkOf(stack, ticket.id))?.autotask_ticket_id) throw new Error('a trace ticket was not linked')
    stack.sandbox.autotask.setFaults({ latencyMs: EMULATOR_LATENCY_MS })
    stack.sandbox.zendesk.setFaults({ latencyMs: EMULATOR_LATENCY_MS })
    const agent = agentOf(stack)
    const totals: number[] = []
    for (let sample = 0; sample < WARM_UP + SAMPLES; sample += 1) {
      const ticket = tickets[sample % tickets.length]!
      stack.sandbox.zendesk.addComment(ticket.id, { body: `trace ${sample}`, public: true, authorId: agent.id })
      const events: TraceEvent[] = []
      if (sample >= WARM_UP) tracing = events
      origin = performance.now()
      const cpu = process.cpuUsage()
      const answer = await callApi(stack, 'POST', `/api/v1/tickets/${ticket.id}/sync`, sidebarToken(ticket.id))
      const total = performance.now() - origin
      const used = process.cpuUsage(cpu)
      const cpuMs = (used.user + used.system) / 1000
      tracing = null
      if (sample < WARM_UP) continue
      totals.push(total)
      if (total < SLOWER_THAN_MS) continue
      console.log(
        `\n== Sync now ${sample - WARM_UP + 1}: ${answer.status} in ${total.toFixed(1)} ms (process CPU ${cpuMs.toFixed(1)} ms, emulators and client included)`,
      )
      for (const event of events.sort((a, b) => a.startMs - b.startMs)) {
        console.log(`${event.startMs.toFixed(1).padStart(7)} ${(event.endMs - event.startMs).toFixed(1).padStart(6)}  ${event.what}`)
      }
    }
    const sorted = [...totals].sort((a, b) => a - b)
    const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]?.toFixed(1)
    console.log(`\n${sorted.length} clicks: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`)
  } finally {
    await stack.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await traceSyncNow()
  process.exit(0)
}
