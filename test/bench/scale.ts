import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { readProcess, resetPeak, startBenchStack } from './bench-stack'
import { runDryRun } from './dry-run-job'
import { awaitBackfill, readCounters, resetCounters, seedHistory, startDateOf, zendeskRequests } from './sync-throughput'

/**
 * `npm run bench:scale` (by hand; it takes long): the admin's backfill of BENCH_SCALE_TICKETS
 * Zendesk tickets (100,000) × BENCH_SCALE_COMMENTS (5) over BENCH_SCALE_TRANSPORT (soap), on the
 * product alone (bench-stack.ts). Prints the backend's RSS as the backfill passes 10k, 50k and
 * 100k tickets (and every BENCH_SCALE_REPORT_EVERY, 10,000), the dry run's answer time, and writes
 * test/.artifacts/bench-scale.json. The emulators' rate limits are raised (a 100,000-ticket
 * backfill under Zendesk's and Autotask's real limits takes hours) and their latency is zero: this
 * run measures memory, not time.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const tickets = env('BENCH_SCALE_TICKETS', 100_000)
const comments = env('BENCH_SCALE_COMMENTS', 5)
const every = env('BENCH_SCALE_REPORT_EVERY', 10_000)
const transport = (process.env.BENCH_SCALE_TRANSPORT ?? 'soap') as 'soap' | 'rest'
const marks = new Set([10_000, 50_000, 100_000])

const sandboxRssMb = (pid: number) => Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024)

let startAt = new Date()
const seedStarted = performance.now()
const stack = await startBenchStack({
  transport,
  database: `bench_scale_${transport}_${process.pid}`,
  seed: async (sandbox) => {
    await sandbox.zendesk('PUT', '/_control/limits', {
      accountRequestsPerMinute: 1_000_000,
      ticketUpdatesPerMinute: 1_000_000,
      incrementalExportsPerMinute: 1_000_000,
      updatesPerTicketPerUser: 1_000_000,
    })
    await sandbox.autotaskControl('POST', '/faults', { hourlyLimit: 10_000_000 })
    startAt = await seedHistory(sandbox, tickets, comments)
  },
})
const sandboxPid = stack.sandbox.process.child.pid!
console.log(
  `seeded ${tickets} tickets × ${comments} comments in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (with the stack's start); sandbox process RSS ${sandboxRssMb(sandboxPid)} MB`,
)
const out = fileURLToPath(new URL('../.artifacts/bench-scale.json', import.meta.url))
mkdirSync(fileURLToPath(new URL('../.artifacts/', import.meta.url)), { recursive: true })
/** Written after every reading too: a run stopped part-way leaves its series. */
const save = () => writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`)
const rows: Array<{ ticketsDone: number; seconds: number; backendRssMb: number; backendPeakRssMb: number; backendCpuSeconds: number; sandboxRssMb: number }> =
  []
const summary: Record<string, unknown> = { startedAt: new Date().toISOString(), transport, tickets, comments }
try {
  const startDate = startDateOf(startAt)
  const atStart = readProcess(stack.pid)
  summary.backendAtStart = atStart
  console.log(`backend at start: RSS ${atStart.rssMb} MB (peak ${atStart.peakRssMb} MB)`)

  await resetCounters(stack)
  resetPeak(stack.pid)
  // The dry run is a job: its answer time is until the estimate is ready.
  const dry = await runDryRun(stack, { startDate, includeSolved: false })
  const dryCounters = await readCounters(stack)
  const dryRun = {
    seconds: Number(dry.seconds.toFixed(2)),
    answer: dry.view,
    backend: readProcess(stack.pid),
    requests: { autotask: dryCounters.autotask.total, zendesk: zendeskRequests(dryCounters.zendesk).answered },
  }
  summary.dryRun = dryRun
  save()
  console.log(`dry run: estimate ready in ${dryRun.seconds} s; backend peak RSS ${dryRun.backend.peakRssMb} MB`, dry.view)

  await resetCounters(stack)
  resetPeak(stack.pid)
  const started = performance.now()
  const response = await stack.admin.post('/backfill', { startDate, includeSolved: false })
  if (response.status !== 202) throw new Error(`backfill answered ${response.status}: ${JSON.stringify(response.body)}`)
  let next = every
  const ended = await awaitBackfill(stack, Number(response.body.id), (backfill) => {
    while (backfill.progress.ticketsDone >= next) {
      const reading = readProcess(stack.pid)
      const row = {
        ticketsDone: backfill.progress.ticketsDone,
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        backendRssMb: reading.rssMb,
        backendPeakRssMb: reading.peakRssMb,
        backendCpuSeconds: reading.cpuSeconds,
        sandboxRssMb: sandboxRssMb(sandboxPid),
      }
      rows.push(row)
      summary.readings = rows
      save()
      console.log(
        `${marks.has(next) ? '*' : ' '} ${next} tickets: backend RSS ${row.backendRssMb} MB, peak ${row.backendPeakRssMb} MB, CPU ${row.backendCpuSeconds} s, ${row.seconds} s (sandbox ${row.sandboxRssMb} MB)`,
      )
      next += every
    }
  })
  const end = readProcess(stack.pid)
  const counters = await readCounters(stack)
  const requests = { autotask: counters.autotask.total, zendesk: zendeskRequests(counters.zendesk).answered }
  const estimate: { autotaskRequests?: number; zendeskRequests?: number } = dry.view.estimate ?? {}
  summary.requests = requests
  summary.dryRunAccuracy = {
    autotask:
      typeof estimate.autotaskRequests === 'number' && requests.autotask > 0
        ? Number(((estimate.autotaskRequests - requests.autotask) / requests.autotask).toFixed(3))
        : null,
    zendesk:
      typeof estimate.zendeskRequests === 'number' && requests.zendesk > 0
        ? Number(((estimate.zendeskRequests - requests.zendesk) / requests.zendesk).toFixed(3))
        : null,
  }
  summary.backfill = {
    state: ended.state,
    error: ended.error,
    progress: ended.progress,
    autotaskRequests: ended.autotaskRequests,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    backendPeakRssMb: end.peakRssMb,
    backendCpuSeconds: end.cpuSeconds,
  }
  summary.readings = rows
  const at = (count: number) => rows.find((row) => row.ticketsDone >= count)
  const first = at(10_000)
  const last = at(100_000) ?? rows.at(-1)
  if (first && last && last !== first) summary.growthFrom10k = Number(((last.backendRssMb - first.backendRssMb) / first.backendRssMb).toFixed(3))
  console.log(
    `backfill ${ended.state} after ${String((summary.backfill as { seconds: number }).seconds)} s: ${JSON.stringify(ended.progress)}; backend peak RSS ${end.peakRssMb} MB; RSS growth from 10k: ${String(summary.growthFrom10k ?? 'n/a')}; requests ${JSON.stringify(requests)}, dry run estimate vs them ${JSON.stringify(summary.dryRunAccuracy)}`,
  )
} finally {
  await stack.close()
}
save()
console.log(`wrote ${out}`)
process.exit(0)
