import { mulberry32 } from '@psa-link/shared'
import type { ZendeskFaults } from './limits'

/**
 * The wait each API response gets: `latencyMs` flat, or a seeded-random time between `latencyMs`
 * and `latencyMaxMs` (mulberry32, reseeded whenever the seed changes, so a run replays).
 */
export function createLatency(): (faults: ZendeskFaults) => number {
  let seed: number | null = null
  let next = mulberry32(0)
  return (faults) => {
    if (faults.latencyMaxMs <= faults.latencyMs) return faults.latencyMs
    if (seed !== faults.latencySeed) {
      seed = faults.latencySeed
      next = mulberry32(seed)
    }
    return faults.latencyMs + Math.round(next() * (faults.latencyMaxMs - faults.latencyMs))
  }
}
