/**
 * mulberry32: a small, fast seeded generator of numbers in [0, 1). The same seed gives the same
 * draws, so a sample, a test's workload or an emulator's fault injection can be replayed. Not for
 * anything secret.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
}
