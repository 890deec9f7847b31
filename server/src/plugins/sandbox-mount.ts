import type { FastifyInstance, LogLevel } from 'fastify'
import type { Config } from '../config'

/**
 * What the backend knows of the sandbox (the emulators of Zendesk and Autotask, and the agent
 * preview). The sandbox is a package of its own (`server/sandbox/`), loaded only by the dynamic
 * import below when it is mounted, so a production process never loads a line of it.
 */
export interface SandboxHandle {
  /** Records the demo account for the backend reachable at `origin`; returns its account id. */
  connect(origin: string): Promise<number>
  /** The origin given to `connect`, once connected. */
  origin(): string | null
  /** The emulator's OAuth client, used instead of the global one for the demo account. */
  readonly zendeskOAuthClient: { clientId: string; clientSecret: string }
  /**
   * Where the sandbox plays the Zendesk account `subdomain` (its emulated https://<subdomain>.zendesk.com),
   * or null when it plays no such account: then the real Zendesk is meant.
   */
  zendeskBaseUrl(subdomain: string): string | null
  /** Lines for the start-up banner: what to open, and the demo logins. Never shown in production. */
  describe(origin: string): Promise<string[]>
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox?: SandboxHandle
  }
}

/** Passed through to the sandbox plugin (tests hand it emulators they keep a handle on). */
export type SandboxMountOptions = Record<string, unknown>

/**
 * Whether this process mounts the sandbox: never in production; `on` and `off` as asked; `auto`
 * while no real Zendesk account exists (the sandbox's own demo account does not count).
 */
export function sandboxWanted(config: Config, hasRealAccount: boolean): boolean {
  if (config.NODE_ENV === 'production') return false
  if (config.SANDBOX !== 'auto') return config.SANDBOX === 'on'
  return !hasRealAccount
}

/** The sandbox's request logs show at debug and trace only (see the sandbox plugin's `logLevel`). */
export function sandboxLogLevel(config: Config): LogLevel {
  return config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? config.LOG_LEVEL : 'warn'
}

export async function mountSandbox(fastify: FastifyInstance, options: SandboxMountOptions): Promise<void> {
  // A package name, resolved at run time: nothing imports the sandbox statically (lint keeps it so).
  const { default: sandboxPlugin } = (await import('@psa-link/sandbox')) as { default: Parameters<FastifyInstance['register']>[0] }
  await fastify.register(sandboxPlugin, options)
}
