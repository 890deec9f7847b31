import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'

/** The one PostgreSQL channel PSA Link's processes and triggers (migration 025) talk on. */
export const SIGNAL_CHANNEL = 'psa_link_signals'

/** What travels on the channel: a topic (`queue:sync-ticket`, `job-done:<id>`, …) and a short detail. */
interface SignalMessage {
  /** The sending process, so it does not hear its own signal twice. */
  o?: string
  t: string
  d?: string
}

export interface SignalsOptions {
  /** Sends NOTIFY (any pooled connection). */
  pool: pg.Pool
  /** Where the listener connects; null on the embedded database (one process, signals stay in it). */
  listenUrl: string | null
  log: FastifyBaseLogger
  /** First wait before the listener reconnects; doubles up to 5 s. */
  reconnectMs?: number
}

/** Every topic at once: the listener (re)connected and may have missed signals meanwhile. */
export const ALL_TOPICS = '*'

/**
 * Wake-ups between the parts of PSA Link that used to poll: a queued job wakes the workers, a
 * finished job wakes the request waiting on it, a released Autotask slot wakes the worker waiting
 * for one, a changed account setting drops the cached context. In the process they are events;
 * across processes the same signal goes through PostgreSQL's LISTEN/NOTIFY on one dedicated
 * connection per process, which reconnects by itself. Signals only make things happen sooner:
 * everybody who waits also re-checks the database at a slow interval, so a lost signal (the
 * listener reconnecting) costs latency, never correctness.
 */
export function createSignals(options: SignalsOptions) {
  const origin = randomUUID()
  const events = new EventEmitter()
  events.setMaxListeners(0)
  let client: pg.Client | null = null
  let connected = false
  let closed = false
  let retryMs = options.reconnectMs ?? 250
  let reconnectTimer: NodeJS.Timeout | null = null

  const deliver = (topic: string, detail: string | undefined) => events.emit(topic, detail)

  async function connect(): Promise<void> {
    if (closed || !options.listenUrl) return
    const next = new pg.Client({ connectionString: options.listenUrl, application_name: 'psa-link-signals' })
    client = next
    const lost = (error?: unknown) => {
      if (client !== next) return
      client = null
      connected = false
      if (error && !closed) options.log.warn({ err: error }, 'signal listener lost its connection; reconnecting')
      next.removeAllListeners()
      next.on('error', () => undefined)
      void next.end().catch(() => undefined)
      scheduleReconnect()
    }
    next.on('error', lost)
    next.on('end', () => lost(new Error('connection ended')))
    next.on('notification', (message) => {
      if (message.channel !== SIGNAL_CHANNEL || !message.payload) return
      let parsed: SignalMessage
      try {
        parsed = JSON.parse(message.payload) as SignalMessage
      } catch {
        return
      }
      if (parsed.o === origin || typeof parsed.t !== 'string') return
      deliver(parsed.t, parsed.d)
    })
    try {
      await next.connect()
      await next.query(`LISTEN ${SIGNAL_CHANNEL}`)
    } catch (error) {
      lost(error)
      return
    }
    if (client !== next) return
    connected = true
    retryMs = options.reconnectMs ?? 250
    // Whatever was signalled while nobody listened: everyone re-checks now.
    events.emit(ALL_TOPICS)
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null
      void connect()
    }, retryMs)
    reconnectTimer.unref()
    retryMs = Math.min(retryMs * 2, 5_000)
  }

  function on(topic: string, handler: (detail: string | undefined) => void): () => void {
    const all = () => handler(undefined)
    events.on(topic, handler)
    events.on(ALL_TOPICS, all)
    return () => {
      events.off(topic, handler)
      events.off(ALL_TOPICS, all)
    }
  }

  return {
    /** Starts listening (no-op on the embedded database). Resolves once the first attempt ends. */
    start: () => connect(),

    /** True while this process hears other processes' signals (so a cache may trust them). */
    listening: (): boolean => connected,

    /** Tells this process at once and every other process through PostgreSQL. */
    async publish(topic: string, detail?: string): Promise<void> {
      deliver(topic, detail)
      if (!options.listenUrl) return
      const message: SignalMessage = { o: origin, t: topic, ...(detail === undefined ? {} : { d: detail }) }
      await options.pool.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, JSON.stringify(message)])
    },

    /** Calls `handler` on every signal of `topic` (and after a reconnect); returns the unsubscribe. */
    on,

    /**
     * A waiter for one topic, armed before the caller checks the database (so a signal between the
     * check and the wait is not missed): `next(ms)` resolves with the detail of a signal since the
     * last call, or undefined after `ms`.
     */
    waiter(topic: string) {
      let pending: { detail: string | undefined } | null = null
      let wake: (() => void) | null = null
      const off = on(topic, (detail) => {
        pending = { detail }
        wake?.()
      })
      return {
        async next(ms: number): Promise<string | undefined> {
          if (!pending) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, ms)
              wake = () => {
                clearTimeout(timer)
                resolve()
              }
            })
            wake = null
          }
          const got = pending as { detail: string | undefined } | null
          pending = null
          return got?.detail
        },
        close: off,
      }
    },

    async close(): Promise<void> {
      closed = true
      if (reconnectTimer) clearTimeout(reconnectTimer)
      const current = client
      client = null
      connected = false
      events.removeAllListeners()
      if (current) {
        current.removeAllListeners()
        current.on('error', () => undefined)
        await current.end().catch(() => undefined)
      }
    },
  }
}

export type Signals = ReturnType<typeof createSignals>
