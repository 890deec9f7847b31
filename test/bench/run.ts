import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { benchSidebarLatency } from './sidebar-latency'
import { benchSyncThroughput } from './sync-throughput'

/**
 * `npm run bench`: the engine's throughput on both Autotask transports side by side, and the
 * sidebar's latencies. Prints tables and writes test/.artifacts/bench.json. Sizes come from the
 * environment: BENCH_TICKETS (2000), BENCH_REST_TICKETS (500: REST writes one entity per call, so
 * a 2,000-ticket REST backfill alone needs ~10,000 of Autotask's 10,000 hourly requests),
 * BENCH_COMMENTS (5), BENCH_LATENCY_MS (20), BENCH_TRANSPORTS (soap,rest), BENCH_SIDEBAR (1).
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const transports = (process.env.BENCH_TRANSPORTS ?? 'soap,rest').split(',').filter(Boolean) as Array<'soap' | 'rest'>
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version }

const throughput = []
for (const transport of transports) {
  const tickets = transport === 'soap' ? env('BENCH_TICKETS', 2000) : env('BENCH_REST_TICKETS', 500)
  console.log(`\n== sync throughput, ${transport.toUpperCase()}, ${tickets} tickets`)
  const result = await benchSyncThroughput({
    transport,
    tickets,
    commentsPerTicket: env('BENCH_COMMENTS', 5),
    latencyMs: env('BENCH_LATENCY_MS', 20),
    notesAdded: 200,
    ticketsChanged: 20,
  })
  console.table(result.phases.map(({ zendeskEndpoints: _endpoints, autotaskOperations: _operations, ...row }) => row))
  for (const phase of result.phases) {
    console.log(`${phase.phase}: Zendesk requests by endpoint`, phase.zendeskEndpoints)
    console.log(`${phase.phase}: Autotask requests by operation`, phase.autotaskOperations)
  }
  throughput.push(result)
}
results.throughput = throughput

if (env('BENCH_SIDEBAR', 1)) {
  console.log('\n== sidebar latency (20 ms emulator latency)')
  const sidebar = await benchSidebarLatency()
  console.log(JSON.stringify(sidebar, null, 2))
  results.sidebar = sidebar
}

const out = fileURLToPath(new URL('../.artifacts/bench.json', import.meta.url))
mkdirSync(fileURLToPath(new URL('../.artifacts/', import.meta.url)), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nwrote ${out}`)
process.exit(0)
