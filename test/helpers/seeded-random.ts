import { randomInt } from 'node:crypto'
import { mulberry32 } from '@psa-link/shared'

/**
 * Random draws a failing run can replay: every test that chooses at random (kill moments, which
 * ticket gets the next comment, fault injection) draws from here. The seed comes from TEST_SEED or
 * is chosen once per test file and printed, so `TEST_SEED=<n> npx vitest run <file>` repeats the
 * draws (as far as the order of events repeats).
 */
export interface SeededRandom {
  readonly seed: number
  /** A number in [0, 1). */
  next(): number
  /** An integer in [min, max). */
  integer(min: number, max: number): number
  pick<T>(items: readonly T[]): T
}

export function seedFromEnvironment(label: string): number {
  const fromEnvironment = process.env.TEST_SEED
  const seed = fromEnvironment !== undefined && fromEnvironment !== '' ? Number(fromEnvironment) : randomInt(2 ** 31)
  if (!Number.isInteger(seed)) throw new Error(`TEST_SEED must be an integer, not "${fromEnvironment}"`)
  console.info(`${label}: random draws seeded with ${seed} (replay with TEST_SEED=${seed})`)
  return seed
}

export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed)
  return {
    seed,
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min)),
    pick: (items) => {
      if (items.length === 0) throw new Error('cannot pick from an empty list')
      return items[Math.floor(next() * items.length)]!
    },
  }
}
