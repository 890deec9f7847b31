import type { ZendeskFaults } from './limits'

/**
 * The wait each API response gets: `latencyMs` flat, or a seeded-random time between `latencyMs`
 * and `latencyMaxMs` (mulberry32, reseeded whenever the seed changes, so a run replays).
 */
export function createLatency(): (faults: ZendeskFaults) => number {
  let seed: number | null = null
  let state = 0
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
  return (faults) => {
    if (faults.latencyMaxMs <= faults.latencyMs) return faults.latencyMs
    if (seed !== faults.latencySeed) {
      seed = faults.latencySeed
      state = seed
    }
    return faults.latencyMs + Math.round(next() * (faults.latencyMaxMs - faults.latencyMs))
  }
}
