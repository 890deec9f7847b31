import { IntegrationError } from '../../../errors/integration-error'
import type { AutotaskRequestGate } from '../core/autotask-request-gate'
import { createInMemoryRequestGate } from '../core/in-memory-request-gate'
import { sendForText, type TextAnswer } from '../../http/keep-alive-http'
import type { ZoneMove } from '../core/zone-move'
import { isMovedZoneError } from '../core/zone-move'
import { errorFromFetchFailure, errorFromRestResponse } from './rest-errors'
import { createRestQueries } from './rest-queries'
import { createRestWrites } from './rest-writes'

export type { RestFilter } from './rest-queries'
export type { AutotaskTicketPatch } from './rest-writes'

export const defaultRestZoneLookupUrl = 'https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation'

export interface AutotaskRestClientOptions {
  username: string
  secret: string
  integrationCode: string
  /** Acts as this resource (Autotask's ImpersonationResourceId header). */
  impersonationResourceId?: number
  /** Where zoneInformation is asked for this user's zone; Autotask's global address by default. */
  zoneLookupUrl?: string
  /**
   * The zone, when already known (skips the lookup): its REST base (`…/ATServicesRest/V1.0/`), its
   * REST root, or the SOAP endpoint of the same zone (`…/ATServices/1.6/atws.asmx`).
   */
  zoneUrl?: string
  timeoutMs?: number
  gate?: AutotaskRequestGate
  /** Told when Autotask moved the tenant to another zone and the client followed (store the new URL). */
  onZoneMoved?: (move: ZoneMove) => Promise<void> | void
}

/**
 * The REST base for a zone URL in any of the shapes Autotask hands out: the zone's REST root
 * (`https://webservices5.autotask.net/ATServicesRest/`), its versioned base, or the same zone's
 * SOAP endpoint. Zones serve both APIs on one host.
 */
export function restBaseUrl(zoneUrl: string): string {
  const url = new URL(zoneUrl)
  const path = url.pathname
  const at = path.search(/\/atservices(rest)?\//i)
  const prefix = at >= 0 ? path.slice(0, at) : path.replace(/\/+$/, '')
  return `${url.origin}${prefix}/ATServicesRest/V1.0/`
}

/**
 * PSA Link's client for Autotask's REST API v1.0. It finds the user's zone, sends the API user,
 * secret and integration code as headers, charges every request to the gate, follows
 * `nextPageUrl` for more than 500 rows, and speaks PSA Link's domain words. This file is the zone
 * and the charged request; the reads are rest-queries.ts, the writes rest-writes.ts.
 */
export function createAutotaskRestClient(options: AutotaskRestClientOptions) {
  const timeoutMs = options.timeoutMs ?? 30_000
  const gate = options.gate ?? createInMemoryRequestGate({ hourlyLimit: 10_000 })
  let baseUrl = options.zoneUrl ? restBaseUrl(options.zoneUrl) : undefined
  let basePromise: Promise<string> | undefined
  let zoneLookups = 0
  let zoneMoves = 0
  let zoneRecheck: Promise<boolean> | undefined

  async function send(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
    let answer: TextAnswer
    try {
      answer = await sendForText('autotask', {
        method,
        url,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs,
      })
    } catch (error) {
      throw errorFromFetchFailure(error, timeoutMs)
    }
    const { status, text } = answer
    if (status < 200 || status > 299) throw errorFromRestResponse(status, text, answer.header('retry-after'))
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown)
    } catch (cause) {
      throw new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: true,
        remoteMessage: `Autotask answered HTTP ${status} with a body that is not JSON.`,
        cause,
      })
    }
  }

  async function lookUpZone(): Promise<string> {
    zoneLookups += 1
    const lookupUrl = new URL(options.zoneLookupUrl ?? defaultRestZoneLookupUrl)
    lookupUrl.searchParams.set('user', options.username)
    const zone = (await gate.run('ZoneInformation', () =>
      send('GET', lookupUrl.toString(), undefined, {}).catch((error: unknown) => {
        if (error instanceof IntegrationError && error.status !== undefined && error.status < 502 && !error.retryable) {
          throw new IntegrationError({
            system: 'autotask',
            code: 'auth',
            retryable: false,
            status: error.status,
            remoteMessage: `Autotask does not know the API user ${options.username}: ${error.remoteMessage}`,
          })
        }
        throw error
      }),
    )) as { url?: unknown }
    if (typeof zone.url !== 'string' || zone.url === '') {
      throw new IntegrationError({
        system: 'autotask',
        code: 'auth',
        retryable: false,
        remoteMessage: `Autotask does not know the API user ${options.username} (no zone URL).`,
      })
    }
    return restBaseUrl(zone.url)
  }

  function base(): Promise<string> {
    if (baseUrl) return Promise.resolve(baseUrl)
    basePromise ??= lookUpZone().then(
      (found) => (baseUrl = found),
      (error: unknown) => {
        basePromise = undefined
        throw error
      },
    )
    return basePromise
  }

  function credentials(): Record<string, string> {
    if (options.integrationCode.trim() === '') {
      throw new IntegrationError({
        system: 'autotask',
        code: 'integration_code',
        retryable: false,
        remoteMessage: 'No ApiIntegrationCode (API tracking identifier) is configured; Autotask REST requires one.',
      })
    }
    return {
      ApiIntegrationCode: options.integrationCode,
      UserName: options.username,
      Secret: options.secret,
      ...(options.impersonationResourceId === undefined ? {} : { ImpersonationResourceId: String(options.impersonationResourceId) }),
    }
  }

  /** Asks zoneInformation again; true when the tenant now lives elsewhere (the client then talks there). */
  function recheckZone(): Promise<boolean> {
    zoneRecheck ??= (async () => {
      const from = baseUrl
      const found = await lookUpZone()
      if (from === undefined || found === from) return false
      baseUrl = found
      zoneMoves += 1
      await options.onZoneMoved?.({ from, to: found })
      return true
    })().finally(() => {
      zoneRecheck = undefined
    })
    return zoneRecheck
  }

  /**
   * One charged request; `path` is relative to the zone's REST base unless it is absolute. When
   * the zone refuses the user as a zone the tenant has left does, the zone is looked up once and,
   * if it moved, the request goes to the new zone: the old one refused it before reading it.
   */
  async function call(entity: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const headers = credentials()
    const movesBefore = zoneMoves
    const lookupsBefore = zoneLookups
    const startedOn = baseUrl
    const once = async (): Promise<unknown> => {
      const root = await base()
      // A next page link of the zone left behind continues on the new one.
      const moved = startedOn !== undefined && root !== startedOn && path.startsWith(startedOn) ? `${root}${path.slice(startedOn.length)}` : path
      const url = /^https?:\/\//i.test(moved) ? moved : `${root}${moved}`
      return gate.run(entity, () => send(method, url, body, headers))
    }
    try {
      return await once()
    } catch (error) {
      if (!isMovedZoneError(error)) throw error
      if (zoneMoves !== movesBefore) return once()
      // Another operation is asking right now: its answer serves this one too.
      // A lookup that fails says nothing new: the refusal itself is the answer.
      if (zoneRecheck) {
        if (await zoneRecheck.catch(() => false)) return once()
        throw error
      }
      if (zoneLookups !== lookupsBefore || !(await recheckZone().catch(() => false))) throw error
      return once()
    }
  }

  /** A next page link is followed only on the zone we talk to: the credentials never go elsewhere. */
  function onOurZone(url: string): boolean {
    try {
      return baseUrl !== undefined && new URL(url).origin === new URL(baseUrl).origin
    } catch {
      return false
    }
  }
  const queries = createRestQueries({ call, onOurZone, username: options.username })
  return {
    /** The zone's REST base in use (after the first call, or when given). */
    get zoneUrl(): string | undefined {
      return baseUrl
    },
    /** Checks the zone and the credentials with the cheapest charged call. */
    testConnection: queries.getThresholdInformation,
    ...queries,
    ...createRestWrites(call, queries.findTicketsByIds, timeoutMs),
  }
}

export type AutotaskRestClient = ReturnType<typeof createAutotaskRestClient>
