import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { printThroughput, PROFILES } from './throughput-table'
import { benchBackends, type BackendsResult } from './backends-throughput'
import { benchSidebarLatency } from './sidebar-latency'
import { benchSyncThroughput, type PhaseResult } from './sync-throughput'

/**
 * `npm run bench`: the engine's throughput on both Autotask transports, each on the product alone
 * (emulators in their own process, a backend process per transport and latency profile, a real
 * PostgreSQL), and the sidebar's latencies. Prints tables and writes test/.artifacts/bench.json.
 * Sizes come from the environment: BENCH_TICKETS (2000), BENCH_REST_TICKETS (500: REST writes one
 * entity per call, so 2,000 tickets × 5 comments need 10,005 requests, over Autotask's hourly
 * 10,000), BENCH_REALISTIC_TICKETS (300) and BENCH_REALISTIC_REST_TICKETS (100) for the realistic
 * latency profile, BENCH_COMMENTS (5), BENCH_PROFILES (flat,realistic), BENCH_TRANSPORTS (soap,rest),
 * BENCH_SIDEBAR (1), and for one vs three backends (issue 18) BENCH_BACKENDS (1,3: empty skips it),
 * BENCH_BACKENDS_TICKETS (300) × BENCH_BACKENDS_COMMENTS (3). The sidebar's latencies alone (no throughput
 * part): BENCH_ONLY=sidebar.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').filter(Boolean)
const sidebarOnly = process.env.BENCH_ONLY === 'sidebar'
const transports = sidebarOnly ? [] : (list('BENCH_TRANSPORTS', 'soap,rest') as Array<'soap' | 'rest'>)
const profiles = list('BENCH_PROFILES', 'flat,realistic') as Array<keyof typeof PROFILES>
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version }

const throughput = []
for (const transport of transports) {
  const phases: PhaseResult[] = []
  const dryRunAccuracy: Record<string, unknown> = {}
  for (const name of profiles) {
    const profile = PROFILES[name]
    const realistic = name === 'realistic'
    const tickets =
      transport === 'soap'
        ? env(realistic ? 'BENCH_REALISTIC_TICKETS' : 'BENCH_TICKETS', realistic ? 300 : 2000)
        : env(realistic ? 'BENCH_REALISTIC_REST_TICKETS' : 'BENCH_REST_TICKETS', realistic ? 100 : 500)
    console.log(`\n== sync throughput, ${transport.toUpperCase()}, ${name} latency, ${tickets} tickets`)
    const result = await benchSyncThroughput({
      transport,
      tickets,
      commentsPerTicket: env('BENCH_COMMENTS', 5),
      profile: profile.floors,
      zendeskLatency: profile.zendesk,
      // The realistic profile measures the backfill; the steady cycle is measured under the flat one.
      notesAdded: realistic ? 0 : 200,
      ticketsChanged: realistic ? 0 : 20,
    })
    phases.push(...result.phases.map((phase) => (realistic ? { ...phase, phase: `${phase.phase} (realistic)` } : phase)))
    dryRunAccuracy[name] = result.dryRunAccuracy
  }
  printThroughput(transport, phases, dryRunAccuracy)
  throughput.push({ transport, phases, dryRunAccuracy })
}
results.throughput = throughput

const backendCounts = sidebarOnly ? [] : list('BENCH_BACKENDS', '1,3').map(Number)
if (backendCounts.length > 0) {
  const backends: BackendsResult[] = []
  for (const count of backendCounts) {
    console.log(`\n== ${count} backend(s) on one PostgreSQL: webhook-announced tickets, SOAP, 20 ms emulator latency`)
    backends.push(await benchBackends({ backends: count, tickets: env('BENCH_BACKENDS_TICKETS', 300), commentsPerTicket: env('BENCH_BACKENDS_COMMENTS', 3) }))
  }
  console.log('\n== one vs several backends on the same workload (Zendesk limits raised; deliveries spread round-robin)')
  console.table(
    backends.map((result) => ({
      backends: result.backends,
      tickets: result.tickets,
      items: result.items,
      'wall s': result.wallSeconds,
      'deliveries s': result.deliverySeconds,
      'items/s': result.itemsPerSecond,
      'AT req': result.autotaskRequests,
      'ZD req': result.zendeskRequests,
      'ZD 429': result.zendesk429,
      'RSS MB each': result.backendPeakRssMb.join(' / '),
      'CPU s each': result.backendCpuSeconds.join(' / '),
    })),
  )
  results.backends = backends
}

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
