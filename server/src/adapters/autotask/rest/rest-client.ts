import { IntegrationError } from '../../../errors/integration-error'
import type { AutotaskRequestGate } from '../core/autotask-request-gate'
import type {
  AutotaskAccountEntity,
  AutotaskFieldInfo,
  AutotaskInstalledProductEntity,
  AutotaskResourceEntity,
  AutotaskThresholdInfo,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  CreatedAutotaskTicketNoteEntity,
  EntityWriteResult,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
} from '../core/autotask-entities'
import { chunks } from '../core/chunks'
import { createInMemoryRequestGate } from '../core/in-memory-request-gate'
import { createPicklistCache } from '../core/picklists'
import { failedCreate, savedButNotReadBack } from '../core/autotask-errors'
import { readTextWithinLimit } from '../../http/response-size-limit'
import type { ZoneMove } from '../core/zone-move'
import { isMovedZoneError } from '../core/zone-move'
import { errorFromFetchFailure, errorFromRestResponse } from './rest-errors'
import type { RestItem } from './rest-entity-mapping'
import {
  companyFromJson,
  configurationItemFromJson,
  fieldInfoFromJson,
  noteFromJson,
  noteToJson,
  resourceFromJson,
  ticketFromJson,
  ticketToJson,
  toRestDateTime,
} from './rest-entity-mapping'

export const defaultRestZoneLookupUrl = 'https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation'
const pageSize = 500
const maxOrConditions = 500

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

/** A REST query condition: `{op, field, value}` or a group `{op: 'and' | 'or', items}`. */
export type RestFilter = { op: string; field: string; value?: unknown; udf?: boolean } | { op: 'and' | 'or'; items: RestFilter[] }

/** One PATCH: the ticket's id and only the fields that change (REST names them; nothing else is touched). */
export interface AutotaskTicketPatch {
  id: number
  title?: string
  status?: number
  priority?: number
  accountId?: number
  installedProductId?: number | null
}

interface QueryPage {
  items?: RestItem[]
  pageDetails?: { nextPageUrl?: string | null }
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
 * `nextPageUrl` for more than 500 rows, and speaks PSA Link's domain words.
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
    let response: Response
    let text: string
    try {
      response = await fetch(url, {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await readTextWithinLimit(response, 'autotask')
    } catch (error) {
      throw errorFromFetchFailure(error, timeoutMs)
    }
    if (!response.ok) throw errorFromRestResponse(response.status, text, response.headers.get('retry-after'))
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown)
    } catch (cause) {
      throw new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: true,
        remoteMessage: `Autotask answered HTTP ${response.status} with a body that is not JSON.`,
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

  /** The rows matching `filter` one page at a time, by id; follows nextPageUrl (same body), else continues with `id gt` the last id. */
  async function* queryPages(entity: string, filter: RestFilter[], includeFields?: string[]): AsyncGenerator<RestItem[]> {
    const body = { filter, MaxRecords: pageSize, ...(includeFields ? { IncludeFields: includeFields } : {}) }
    let next: { path: string; body: unknown } = { path: `${entity}/query`, body }
    for (;;) {
      const page = (await call(entity, 'POST', next.path, next.body)) as QueryPage
      const items = Array.isArray(page.items) ? page.items : []
      if (items.length > 0) yield items
      const link = page.pageDetails?.nextPageUrl
      const lastId = Number(items[items.length - 1]?.id)
      if (!link || items.length === 0) return
      next = onOurZone(link)
        ? { path: link, body }
        : { path: `${entity}/query`, body: { ...body, filter: [...filter, { op: 'gt', field: 'id', value: lastId }] } }
    }
  }

  /** Every row matching `filter` (small result sets only: scans use queryPages). */
  async function queryAll(entity: string, filter: RestFilter[], includeFields?: string[]): Promise<RestItem[]> {
    const rows: RestItem[] = []
    for await (const page of queryPages(entity, filter, includeFields)) rows.push(...page)
    return rows
  }

  /** lastActivityDate in [since, until): a scan slice (no upper bound without `until`). */
  function activityBetween(since: Date, until?: Date): RestFilter[] {
    const from: RestFilter = { op: 'gte', field: 'lastActivityDate', value: toRestDateTime(since) }
    return until ? [from, { op: 'lt', field: 'lastActivityDate', value: toRestDateTime(until) }] : [from]
  }

  /** Notes changed in the slice, PSA Link's own left out (noteq alone would also drop notes without a creator, which must stay). */
  function notesChangedFilter(since: Date, until?: Date, excludeCreatorResourceId?: number): RestFilter[] {
    const changed = activityBetween(since, until)
    if (excludeCreatorResourceId !== undefined) {
      changed.push({
        op: 'or',
        items: [
          { op: 'noteq', field: 'creatorResourceID', value: excludeCreatorResourceId },
          { op: 'notExist', field: 'creatorResourceID' },
        ],
      })
    }
    return changed
  }

  /** Rows whose `field` equals any of `values`: at most 500 OR-ed conditions per query. */
  async function queryByValues(
    entity: string,
    field: string,
    values: ReadonlyArray<string | number>,
    extra: RestFilter[] = [],
    includeFields?: string[],
  ): Promise<RestItem[]> {
    const rows = new Map<number, RestItem>()
    for (const part of chunks([...new Set(values)], maxOrConditions)) {
      const anyOf: RestFilter = { op: 'or', items: part.map((value) => ({ op: 'eq', field, value })) }
      for (const row of await queryAll(entity, [anyOf, ...extra], includeFields)) rows.set(Number(row.id), row)
    }
    return [...rows.values()].sort((a, b) => Number(a.id) - Number(b.id))
  }

  async function fieldInfo(entity: string): Promise<AutotaskFieldInfo[]> {
    const answer = (await call(entity, 'GET', `${entity}/entityInformation/fields`)) as { fields?: RestItem[] }
    return (answer.fields ?? []).map(fieldInfoFromJson)
  }

  /**
   * Writes one item per call (REST has no batches), up to three calls at once (Autotask's limit
   * per entity; the gate enforces it) — items with the same lane key (a note's ticket) stay in
   * order, one after another. A rejected item fails alone; a failure of the request itself
   * (threshold, outage, timeout) is thrown when nothing was written yet, else it becomes the result
   * of every item not yet written — a timed-out create may have been saved, and only the engine can
   * look it up by natural key first.
   */
  async function writeEach<I, T>(
    items: readonly I[],
    write: (item: I) => Promise<number>,
    reread: (ids: number[]) => Promise<T[]>,
    idOf: (item: T) => number,
    laneOf: (item: I) => unknown = (item) => item,
  ): Promise<Array<EntityWriteResult<T>>> {
    const outcomes: Array<{ ok: true; id: number } | { ok: false; error: IntegrationError }> = new Array(items.length)
    let written = false
    let stopped: IntegrationError | undefined
    const groups = new Map<unknown, number[]>()
    items.forEach((item, index) => groups.set(laneOf(item), [...(groups.get(laneOf(item)) ?? []), index]))
    const lanes: number[][] = [[], [], []]
    ;[...groups.values()].forEach((indexes, group) => lanes[group % lanes.length]!.push(...indexes))
    await Promise.all(
      lanes.map(async (lane) => {
        for (const index of lane) {
          if (stopped) {
            outcomes[index] = { ok: false, error: stopped }
            continue
          }
          try {
            outcomes[index] = { ok: true, id: await write(items[index]!) }
            written = true
          } catch (caught) {
            const error = caught instanceof IntegrationError ? caught : errorFromFetchFailure(caught, timeoutMs)
            outcomes[index] = { ok: false, error }
            if (error.code !== 'rejected') stopped ??= error
          }
        }
      }),
    )
    if (stopped && !written) throw stopped
    const ids = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.id] : []))
    // Autotask computes some fields (number, dates) on save; what a re-read returns is the truth.
    const byId = new Map((ids.length > 0 ? await reread(ids) : []).map((entity) => [idOf(entity), entity]))
    return outcomes.map((outcome): EntityWriteResult<T> => {
      if (!outcome.ok) return outcome
      const entity = byId.get(outcome.id)
      return entity
        ? { ok: true, entity }
        : {
            ok: false,
            error: new IntegrationError({
              system: 'autotask',
              code: 'unexpected_response',
              retryable: true,
              remoteMessage: `Autotask saved item ${outcome.id} but it could not be read back.`,
            }),
          }
    })
  }

  /** A POST is never resent: one whose answer was lost fails `outcome_unknown` (see failedCreate). */
  function rethrowFailedCreate(error: unknown): never {
    throw failedCreate(error)
  }

  function itemIdOf(answer: unknown): number {
    const id = Number((answer as { itemId?: unknown }).itemId)
    if (!Number.isFinite(id) || id <= 0)
      throw new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: false,
        remoteMessage: 'Autotask answered a write without an itemId.',
      })
    return id
  }

  async function findTicketsByIds(ids: readonly number[]): Promise<AutotaskTicketEntity[]> {
    return (await queryByValues('Tickets', 'id', ids)).map(ticketFromJson)
  }

  async function findNotesByIds(ids: readonly number[]): Promise<AutotaskTicketNoteEntity[]> {
    return (await queryByValues('TicketNotes', 'id', ids)).map(noteFromJson)
  }

  async function getThresholdInformation(): Promise<AutotaskThresholdInfo> {
    const answer = (await call('ThresholdInformation', 'GET', 'ThresholdInformation')) as Record<string, unknown>
    return {
      threshold: Number(answer.externalRequestThreshold),
      timeframeMinutes: Number(answer.requestThresholdTimeframe),
      requestsInTimeframe: Number(answer.currentTimeframeRequestCount),
    }
  }

  return {
    /** The zone's REST base in use (after the first call, or when given). */
    get zoneUrl(): string | undefined {
      return baseUrl
    },
    /** Checks the zone and the credentials with the cheapest charged call. */
    testConnection: getThresholdInformation,
    getThresholdInformation,
    findTicketsByIds,
    findNotesByIds,
    async findTicketsByNumbers(ticketNumbers: readonly string[]): Promise<AutotaskTicketEntity[]> {
      return (await queryByValues('Tickets', 'ticketNumber', ticketNumbers)).map(ticketFromJson)
    },
    async findTicketsByExternalIds(externalIds: readonly string[]): Promise<AutotaskTicketEntity[]> {
      return (await queryByValues('Tickets', 'externalID', externalIds)).map(ticketFromJson)
    },
    /** Tickets with lastActivityDate >= since (a note added to a ticket moves it too). */
    async findTicketsChangedSince(since: Date): Promise<AutotaskTicketEntity[]> {
      return (await queryAll('Tickets', [{ op: 'gte', field: 'lastActivityDate', value: toRestDateTime(since) }])).map(ticketFromJson)
    },
    async findNotesByTicketIds(ticketIds: readonly number[]): Promise<AutotaskTicketNoteEntity[]> {
      return (await queryByValues('TicketNotes', 'ticketID', ticketIds)).map(noteFromJson)
    },
    /** Tickets with lastActivityDate in [since, until), one page at a time. */
    async *ticketPagesChangedSince(since: Date, until?: Date): AsyncGenerator<AutotaskTicketEntity[]> {
      for await (const page of queryPages('Tickets', activityBetween(since, until))) yield page.map(ticketFromJson)
    },
    /** Notes with lastActivityDate in [since, until), one page at a time. */
    async *notePagesChangedSince(since: Date, until?: Date, excludeCreatorResourceId?: number): AsyncGenerator<AutotaskTicketNoteEntity[]> {
      for await (const page of queryPages('TicketNotes', notesChangedFilter(since, until, excludeCreatorResourceId))) yield page.map(noteFromJson)
    },
    async findNotesChangedSince(since: Date, ticketIds?: readonly number[], excludeCreatorResourceId?: number): Promise<AutotaskTicketNoteEntity[]> {
      const changed = notesChangedFilter(since, undefined, excludeCreatorResourceId)
      const rows = ticketIds === undefined ? await queryAll('TicketNotes', changed) : await queryByValues('TicketNotes', 'ticketID', ticketIds, changed)
      return rows.map(noteFromJson)
    },
    /** Configuration items whose referenceNumber equals any of `references` (Autotask compares case-insensitively). */
    async findConfigurationItemsByReferenceNumbers(references: readonly string[]): Promise<AutotaskInstalledProductEntity[]> {
      const fields = ['id', 'referenceNumber', 'companyID', 'isActive', 'lastModifiedTime']
      return (await queryByValues('ConfigurationItems', 'referenceNumber', references, [], fields)).map(configurationItemFromJson)
    },
    /** Every configuration item with a reference number, from `afterId` on, optionally only those modified since. */
    async listConfigurationItems({ afterId, changedSince }: { afterId?: number; changedSince?: Date } = {}): Promise<AutotaskInstalledProductEntity[]> {
      const filter: RestFilter[] = [{ op: 'exist', field: 'referenceNumber' }]
      if (afterId !== undefined) filter.push({ op: 'gt', field: 'id', value: afterId })
      if (changedSince) filter.push({ op: 'gte', field: 'lastModifiedTime', value: toRestDateTime(changedSince) })
      return (await queryAll('ConfigurationItems', filter, ['id', 'referenceNumber', 'companyID', 'isActive', 'lastModifiedTime'])).map(
        configurationItemFromJson,
      )
    },
    async findCompaniesByIds(ids: readonly number[]): Promise<AutotaskAccountEntity[]> {
      return (await queryByValues('Companies', 'id', ids, [], ['id', 'companyName'])).map(companyFromJson)
    },
    /** Active companies whose name contains `text`: one page of at most `limit`, not paged further. */
    async searchCompaniesByName(text: string, limit: number): Promise<AutotaskAccountEntity[]> {
      const filter: RestFilter[] = [
        { op: 'contains', field: 'companyName', value: text },
        { op: 'eq', field: 'isActive', value: true },
      ]
      const page = (await call('Companies', 'POST', 'Companies/query', { filter, MaxRecords: limit, IncludeFields: ['id', 'companyName'] })) as QueryPage
      return (Array.isArray(page.items) ? page.items : []).slice(0, limit).map(companyFromJson)
    },
    async findResourcesByIds(ids: readonly number[]): Promise<AutotaskResourceEntity[]> {
      return (await queryByValues('Resources', 'id', ids, [], ['id', 'firstName', 'lastName', 'email', 'userName'])).map(resourceFromJson)
    },
    /**
     * The API user's own resource: the one whose email or userName is the API username (API users
     * log in with an email-shaped username; which of the two fields holds it is a guess, so both
     * are asked in one query). Null when none or several match: a wrong guess must not hide notes.
     */
    async findOwnResource(): Promise<AutotaskResourceEntity | null> {
      const filter: RestFilter[] = [
        {
          op: 'or',
          items: [
            { op: 'eq', field: 'email', value: options.username },
            { op: 'eq', field: 'userName', value: options.username },
          ],
        },
      ]
      const page = (await call('Resources', 'POST', 'Resources/query', {
        filter,
        MaxRecords: 2,
        IncludeFields: ['id', 'firstName', 'lastName', 'email', 'userName'],
      })) as QueryPage
      const items = Array.isArray(page.items) ? page.items : []
      return items.length === 1 ? resourceFromJson(items[0]!) : null
    },
    getFieldInfo: fieldInfo,
    /** Picklists per REST field name, read once per client and entity. */
    getPicklists: createPicklistCache(fieldInfo),
    createTickets(tickets: readonly NewAutotaskTicketEntity[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return writeEach(
        tickets,
        async (ticket) => itemIdOf(await call('Tickets', 'POST', 'Tickets', ticketToJson(ticket)).catch(rethrowFailedCreate)),
        (ids) =>
          findTicketsByIds(ids).catch((error: unknown) => {
            throw savedButNotReadBack(error)
          }),
        (ticket) => ticket.id,
      )
    },
    /** PATCHes only the given fields of each ticket; everything else stays as Autotask has it. */
    patchTickets(patches: readonly AutotaskTicketPatch[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return writeEach(
        patches,
        async (patch) => {
          const body: Record<string, unknown> = { id: patch.id }
          if (patch.title !== undefined) body.title = patch.title
          if (patch.status !== undefined) body.status = patch.status
          if (patch.priority !== undefined) body.priority = patch.priority
          if (patch.accountId !== undefined) body.companyID = patch.accountId
          if (patch.installedProductId !== undefined) body.configurationItemID = patch.installedProductId
          return itemIdOf(await call('Tickets', 'PATCH', 'Tickets', body))
        },
        findTicketsByIds,
        (ticket) => ticket.id,
      )
    },
    /** Notes are created under their ticket (`POST Tickets/{id}/Notes`); REST has no top-level TicketNotes create. */
    createNotes(notes: readonly NewAutotaskTicketNoteEntity[]): Promise<Array<EntityWriteResult<CreatedAutotaskTicketNoteEntity>>> {
      // Not read back (findNotesByIds does, when the computed fields matter): the id is what a caller keeps.
      const sent = new Map<number, NewAutotaskTicketNoteEntity>()
      return writeEach(
        notes,
        async (note) => {
          const id = itemIdOf(await call('TicketNotes', 'POST', `Tickets/${note.ticketId}/Notes`, noteToJson(note)).catch(rethrowFailedCreate))
          sent.set(id, note)
          return id
        },
        async (ids) => ids.map((id) => ({ ...sent.get(id)!, id })),
        (note) => note.id,
        (note) => note.ticketId,
      )
    },
  }
}

export type AutotaskRestClient = ReturnType<typeof createAutotaskRestClient>
