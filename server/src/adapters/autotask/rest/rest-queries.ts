import type {
  OwnActivityLeftOut,
  AutotaskAccountEntity,
  AutotaskFieldInfo,
  AutotaskInstalledProductEntity,
  AutotaskResourceEntity,
  AutotaskThresholdInfo,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
} from '../core/autotask-entities'
import { chunks } from '../core/chunks'
import { createPicklistCache } from '../core/picklists'
import type { RestItem } from './rest-entity-mapping'
import {
  companyFromJson,
  configurationItemFromJson,
  fieldInfoFromJson,
  noteFromJson,
  resourceFromJson,
  ticketFromJson,
  toRestDateTime,
} from './rest-entity-mapping'

const pageSize = 500
const maxOrConditions = 500

/** One charged request to the zone (rest-client.ts): `path` is relative to the zone's REST base unless absolute. */
export type RestCall = (entity: string, method: string, path: string, body?: unknown) => Promise<unknown>

/** How the queries reach Autotask: the charged request, and whether a next page link stays on our zone. */
export interface RestQueryTransport {
  call: RestCall
  onOurZone(url: string): boolean
  /** The API username, which the API user's own resource is looked up by. */
  username: string
}

/** A REST query condition: `{op, field, value}` or a group `{op: 'and' | 'or', items}`. */
export type RestFilter = { op: string; field: string; value?: unknown; udf?: boolean } | { op: 'and' | 'or'; items: RestFilter[] }

interface QueryPage {
  items?: RestItem[]
  pageDetails?: { nextPageUrl?: string | null }
}

/**
 * The REST client's reads: queries by id, number, reference and activity date, paged by
 * `nextPageUrl` (500 rows a page) and split into 500 OR-ed conditions at most, plus field
 * information and picklists. Each answer is turned into PSA Link's domain words.
 */
export function createRestQueries({ call, onOurZone, username }: RestQueryTransport) {
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
    async *ticketPagesChangedSince(since: Date, until?: Date, leaveOut?: OwnActivityLeftOut): AsyncGenerator<AutotaskTicketEntity[]> {
      const changed = activityBetween(since, until)
      if (leaveOut) {
        changed.push({
          op: 'or',
          items: [
            { op: 'noteq', field: 'lastActivityResourceID', value: leaveOut.resourceId },
            { op: 'notExist', field: 'lastActivityResourceID' },
            ...leaveOut.exceptTicketIds.map((id): RestFilter => ({ op: 'eq', field: 'id', value: id })),
          ],
        })
      }
      for await (const page of queryPages('Tickets', changed)) yield page.map(ticketFromJson)
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
            { op: 'eq', field: 'email', value: username },
            { op: 'eq', field: 'userName', value: username },
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
  }
}

export type RestQueries = ReturnType<typeof createRestQueries>
