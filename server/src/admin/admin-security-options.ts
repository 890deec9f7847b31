/** The admin console's limits against guessing and floods; the defaults are the production ones. */
export interface AdminSecurityOptions {
  /** Sign-in (and first-admin setup) requests per minute, from one client address and from all together, per route. */
  signInRate: { perAddressPerMinute: number; allPerMinute: number }
  /** Password hashes computed at once, and how many more may wait; beyond that a request is refused (503). */
  passwordHashing: { concurrency: number; maxQueued: number }
  /**
   * Zone addresses (URL prefixes) accepted for an Autotask connection besides Autotask's own
   * (https on *.autotask.net) and the mounted sandbox's emulator. Empty in production; only code
   * that builds the app (tests standing a server in for Autotask) can set it, never the environment.
   */
  extraAutotaskZonePrefixes: string[]
  /** A session ends this long after sign-in, however active. */
  sessionLifetimeSeconds: number
}

export const DEFAULT_ADMIN_SECURITY: AdminSecurityOptions = {
  signInRate: { perAddressPerMinute: 20, allPerMinute: 200 },
  passwordHashing: { concurrency: 2, maxQueued: 16 },
  extraAutotaskZonePrefixes: [],
  sessionLifetimeSeconds: 12 * 3600,
}

export type AdminSecurityOverrides = Partial<AdminSecurityOptions>

export function adminSecurityOptions(overrides: AdminSecurityOverrides = {}): AdminSecurityOptions {
  return { ...DEFAULT_ADMIN_SECURITY, ...overrides }
}
