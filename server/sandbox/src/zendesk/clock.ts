/**
 * The emulator's notion of "now". Tests pin or advance it so rate-limit windows, token expiry and
 * the export lag can be exercised without waiting.
 */
export interface EmulatorClock {
  now(): Date
  /** Pin the clock to a moment (null returns to real time, keeping the current offset). */
  set(moment: Date | null): void
  advance(milliseconds: number): void
}

export function createEmulatorClock(): EmulatorClock {
  let pinned: number | null = null
  let offset = 0
  return {
    now: () => new Date(pinned ?? Date.now() + offset),
    set(moment) {
      pinned = moment ? moment.getTime() : null
    },
    advance(milliseconds) {
      if (pinned !== null) pinned += milliseconds
      else offset += milliseconds
    },
  }
}
