import type { LatencyProfile } from './floors'
import type { PhaseResult } from './sync-throughput'

/**
 * The latency profiles: flat 20 ms on every request, and a realistic one — Zendesk answers in
 * 150–300 ms (seeded-random, mean 225), an Autotask call costs 250 ms plus 10 ms per entity it
 * writes (a 200-ticket SOAP create: 2.25 s). The realistic figures are guesses (the emulators'
 * SOURCES.md say so): neither vendor publishes response times.
 */
export const PROFILES = {
  flat: { zendesk: { minMs: 20, maxMs: 20 }, floors: { name: 'flat', zendeskMs: 20, autotaskMs: 20, autotaskPerEntityMs: 0 } satisfies LatencyProfile },
  realistic: {
    zendesk: { minMs: 150, maxMs: 300 },
    floors: { name: 'realistic', zendeskMs: 225, autotaskMs: 250, autotaskPerEntityMs: 10 } satisfies LatencyProfile,
  },
} as const

/**
 * One row per phase: items, requests per system against their minimum, wall time against both
 * floors (latency only; latency plus the remotes' measured service time for the minimum calls,
 * floors.ts), the remotes' total service time (CPU, and wall clock), the backend's memory, CPU and CPU share of the wall.
 */
export function printThroughput(transport: string, phases: PhaseResult[], dryRunAccuracy: Record<string, unknown>): void {
  console.log(`\n== ${transport.toUpperCase()}: the product alone (backend process on PostgreSQL, emulators in their own process)`)
  console.table(
    phases.map((phase) => ({
      phase: phase.phase,
      items: phase.items,
      'AT req': phase.autotaskRequests,
      'AT min': phase.autotaskMinimum,
      'AT ×min': phase.autotaskRatio,
      'ZD req': phase.zendeskRequests,
      'ZD 429': phase.zendesk429,
      'ZD min': phase.zendeskMinimum,
      'ZD ×min': phase.zendeskRatio,
      'wall s': phase.wallSeconds,
      'floor s': phase.floorSeconds,
      'floor by': phase.floorBoundBy,
      '×floor': phase.wallToFloor,
      'svc floor s': phase.serviceFloorSeconds,
      'svc by': phase.serviceFloorBoundBy,
      '×svc floor': phase.wallToServiceFloor,
      'remote CPU s': phase.remoteServiceSeconds,
      'remote wall s': phase.remoteServiceWallSeconds,
      'RSS MB': phase.backendPeakRssMb,
      'CPU s': phase.backendCpuSeconds,
      'CPU share': phase.backendCpuShare,
    })),
  )
  for (const phase of phases) {
    console.log(`${phase.phase}: Zendesk requests by endpoint`, phase.zendeskEndpoints)
    console.log(`${phase.phase}: Autotask requests by operation`, phase.autotaskOperations)
    console.log(`${phase.phase}: remote service CPU ms by call kind`, phase.remoteServiceMs)
    if (phase.estimate) console.log(`${phase.phase}: estimate ready ${String(phase.answerSeconds)} s after the job was started`, phase.estimate)
  }
  console.log('dry run estimate vs the run ((estimate − actual) / actual):', dryRunAccuracy)
}
