import * as soap from 'soap'
import { IntegrationError } from '../../../errors/integration-error'
import type { AutotaskRequestGate } from '../core/autotask-request-gate'
import { errorFromAutotaskMessages, failedCreate } from '../core/autotask-errors'
import { errorFromTransport } from './soap-errors'
import type {
  OwnActivityLeftOut,
  AutotaskAccountEntity,
  AutotaskFieldInfo,
  AutotaskInstalledProductEntity,
  AutotaskResourceEntity,
  AutotaskThresholdInfo,
  AutotaskTicketEntity,
  AutotaskTicketNoteEntity,
  CreatedAutotaskTicketNoteEntity,
  NewAutotaskTicketEntity,
  NewAutotaskTicketNoteEntity,
  EntityWriteResult,
} from '../core/autotask-entities'
import type { BatchOutcome } from './batch-writes'
import { writeInBatches } from './batch-writes'
import { createWriteAnswers, savedIds } from './write-answers'
import { accountFromRaw, installedProductFromRaw, noteFromRaw, noteToRaw, resourceFromRaw, ticketFromRaw, ticketToRaw } from './soap-entity-mapping'
import { chunks } from '../core/chunks'
import { createInMemoryRequestGate } from '../core/in-memory-request-gate'
import { createPicklistCache } from '../core/picklists'
import type { QueryCondition } from './query-xml'
import { and, buildQueryXml, field, or } from './query-xml'
import type { RawEntity } from './soap-entities'
import { asArray, entitiesArgument, readRawEntity, writeRawEntity } from './soap-entities'
import { MAX_RESPONSE_BYTES } from '../../http/response-size-limit'
import { entityFieldOrder } from './wsdl-field-order'
import type { ZoneMove } from '../core/zone-move'
import { isMovedZoneError } from '../core/zone-move'

export const defaultZoneLookupUrl = 'https://webservices.autotask.net/ATServices/1.6/atws.asmx'
const atwsNamespace = 'http://autotask.net/ATWS/v1_6/'
const pageSize = 500
const maxOrConditions = 500

export interface AutotaskSoapClientOptions {
  username: string
  secret: string
  integrationCode: string
  /** Where getZoneInfo is asked for this user's zone; Autotask's global address by default. */
  zoneLookupUrl?: string
  /** The zone's SOAP endpoint, when already known (skips the zone lookup). */
  zoneUrl?: string
  timeoutMs?: number
  gate?: AutotaskRequestGate
  /** Told when Autotask moved the tenant to another zone and the client followed (store the new URL). */
  onZoneMoved?: (move: ZoneMove) => Promise<void> | void
}

export interface ListInstalledProductsOptions {
  afterId?: number
  changedSince?: Date
}

type AsyncOperation = (args: unknown, options?: unknown) => Promise<[unknown, ...unknown[]]>

interface AtwsResponse {
  ReturnCode?: unknown
  EntityResults?: { Entity?: unknown } | null
  Errors?: { ATWSError?: unknown } | null
  EntityReturnInfoResults?: { EntityReturnInfo?: unknown } | null
}

function errorMessages(response: AtwsResponse): string[] {
  return asArray(response.Errors?.ATWSError).map((error) => String((error as { Message?: unknown }).Message ?? ''))
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}

/**
 * PSA Link's client for Autotask Web Services 1.6 (SOAP). It finds the user's zone, loads the
 * WSDL from the endpoint it talks to, authenticates with HTTP Basic and the AutotaskIntegrations
 * header, charges every request to the gate, and speaks PSA Link's domain words.
 */
export function createAutotaskSoapClient(options: AutotaskSoapClientOptions) {
  const timeoutMs = options.timeoutMs ?? 30_000
  const gate = options.gate ?? createInMemoryRequestGate({ hourlyLimit: 10_000 })
  let clientPromise: Promise<soap.Client> | undefined
  let zoneUrl = options.zoneUrl
  let zoneLookups = 0
  let zoneMoves = 0
  let zoneRecheck: Promise<boolean> | undefined

  async function loadClient(endpoint: string): Promise<soap.Client> {
    try {
      // Each client loads its WSDL once and keeps it as long as it lives (a gateway lives as long as
      // its connection's settings); soap's process-wide cache would keep every URL's WSDL forever.
      return await soap.createClientAsync(endpoint.replace(/\.asmx$/i, '.wsdl'), {
        endpoint,
        disableCache: true,
        wsdl_options: { timeout: timeoutMs, maxContentLength: MAX_RESPONSE_BYTES },
      })
    } catch (error) {
      throw errorFromTransport(error, timeoutMs)
    }
  }

  async function call(client: soap.Client, operation: string, args: unknown): Promise<unknown> {
    const method = (client as unknown as Record<string, AsyncOperation | undefined>)[`${operation}Async`]
    if (!method)
      throw new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: false,
        remoteMessage: `The Autotask WSDL has no ${operation} operation.`,
      })
    try {
      const [result] = await method.call(client, args, { timeout: timeoutMs, maxContentLength: MAX_RESPONSE_BYTES })
      return result
    } catch (error) {
      throw errorFromTransport(error, timeoutMs)
    }
  }

  async function lookUpZone(): Promise<string> {
    zoneLookups += 1
    const lookupUrl = options.zoneLookupUrl ?? defaultZoneLookupUrl
    return gate.run('ZoneInfo', async () => {
      const client = await loadClient(lookupUrl)
      const result = (await call(client, 'getZoneInfo', { UserName: options.username })) as { getZoneInfoResult?: { URL?: unknown; ErrorCode?: unknown } }
      const info = result.getZoneInfoResult
      const url = typeof info?.URL === 'string' ? info.URL : ''
      if (Number(info?.ErrorCode ?? -1) < 0 || url === '') {
        throw new IntegrationError({
          system: 'autotask',
          code: 'auth',
          retryable: false,
          remoteMessage: `Autotask does not know the API user ${options.username} (zone lookup ErrorCode ${String(info?.ErrorCode)}).`,
        })
      }
      return url
    })
  }

  async function connect(): Promise<soap.Client> {
    if (options.integrationCode.trim() === '') {
      throw new IntegrationError({
        system: 'autotask',
        code: 'integration_code',
        retryable: false,
        remoteMessage: 'No IntegrationCode (API tracking identifier) is configured; Autotask API 1.6 requires one.',
      })
    }
    zoneUrl ??= await lookUpZone()
    const client = await loadClient(zoneUrl)
    client.setSecurity(new soap.BasicAuthSecurity(options.username, options.secret))
    client.addSoapHeader({ AutotaskIntegrations: { IntegrationCode: options.integrationCode } }, '', 'tns', atwsNamespace)
    return client
  }

  function client(): Promise<soap.Client> {
    clientPromise ??= connect().catch((error: unknown) => {
      clientPromise = undefined
      throw error
    })
    return clientPromise
  }

  /** Asks getZoneInfo again; true when the tenant now lives elsewhere (the client then talks there). */
  function recheckZone(): Promise<boolean> {
    zoneRecheck ??= (async () => {
      const from = zoneUrl
      const found = await lookUpZone()
      if (from === undefined || found === from) return false
      zoneUrl = found
      zoneMoves += 1
      clientPromise = undefined
      await options.onZoneMoved?.({ from, to: found })
      return true
    })().finally(() => {
      zoneRecheck = undefined
    })
    return zoneRecheck
  }

  /**
   * Runs one operation; when it fails as a zone the tenant has left answers (Autotask moves tenants
   * between zones, and the old one then refuses the user), looks the zone up once and, if it moved,
   * runs the operation again there. Such a refusal happens before Autotask reads the request, so
   * sending it again cannot apply it twice.
   */
  async function onCurrentZone<T>(work: () => Promise<T>): Promise<T> {
    const movesBefore = zoneMoves
    const lookupsBefore = zoneLookups
    try {
      return await work()
    } catch (error) {
      if (!isMovedZoneError(error)) throw error
      // Another operation followed a move meanwhile: try the new zone.
      if (zoneMoves !== movesBefore) return work()
      // Another operation is asking right now: its answer serves this one too.
      // A lookup that fails says nothing new: the refusal itself is the answer.
      if (zoneRecheck) {
        if (await zoneRecheck.catch(() => false)) return work()
        throw error
      }
      // The zone was looked up for this very operation: the refusal is about the credentials.
      if (zoneLookups !== lookupsBefore || !(await recheckZone().catch(() => false))) throw error
      return work()
    }
  }

  async function atws(entity: string, operation: string, args: Record<string, unknown> | ((soapClient: soap.Client) => unknown)): Promise<AtwsResponse> {
    return onCurrentZone(async () => {
      const soapClient = await client()
      const input = typeof args === 'function' ? args(soapClient) : args
      return gate.run(entity, async () => {
        const result = (await call(soapClient, operation, input)) as Record<string, AtwsResponse | undefined>
        return result[`${operation}Result`] ?? {}
      })
    })
  }

  async function queryPage(entity: string, condition: QueryCondition): Promise<RawEntity[]> {
    const response = await atws(entity, 'query', { sXML: buildQueryXml(entity, condition) })
    if (Number(response.ReturnCode) !== 1) throw errorFromAutotaskMessages(errorMessages(response))
    return asArray(response.EntityResults?.Entity).map(readRawEntity)
  }

  /** The rows matching `condition` one page at a time, paged by `id >` the last id seen (Autotask returns 500 rows by id). */
  async function* queryPages(entity: string, condition: QueryCondition, afterId?: number): AsyncGenerator<RawEntity[]> {
    let lastId = afterId
    for (;;) {
      const page = await queryPage(entity, lastId === undefined ? condition : and(field('id', 'GreaterThan', lastId), condition))
      if (page.length > 0) yield page
      if (page.length < pageSize) return
      lastId = page[page.length - 1]?.id
    }
  }

  /** Every row matching `condition` (small result sets only: scans use queryPages). */
  async function queryAll(entity: string, condition: QueryCondition, afterId?: number): Promise<RawEntity[]> {
    const rows: RawEntity[] = []
    for await (const page of queryPages(entity, condition, afterId)) rows.push(...page)
    return rows
  }

  /** LastActivityDate in [since, until): a scan slice (no upper bound without `until`). */
  function activityBetween(since: Date, until?: Date): QueryCondition {
    const from = field('LastActivityDate', 'GreaterThanOrEquals', since)
    return until ? and(from, field('LastActivityDate', 'LessThan', until)) : from
  }

  /** Notes changed in the slice, PSA Link's own left out (NotEqual alone would also drop notes without a creator, which must stay). */
  function notesChangedCondition(since: Date, until?: Date, excludeCreatorResourceId?: number): QueryCondition {
    const changed = activityBetween(since, until)
    return excludeCreatorResourceId === undefined
      ? changed
      : and(changed, or(field('CreatorResourceID', 'NotEqual', excludeCreatorResourceId), field('CreatorResourceID', 'IsNull')))
  }

  /** Rows whose `fieldName` is any of `values`: at most 500 OR-ed conditions per query. */
  async function queryByValues(entity: string, fieldName: string, values: ReadonlyArray<string | number>, extra?: QueryCondition): Promise<RawEntity[]> {
    const rows = new Map<number, RawEntity>()
    // Ids are unique: a chunk of at most 500 matches at most 500 rows, all on the first page (a
    // full page would otherwise cost a second, empty query: a read-back of 500 created tickets).
    const read = (condition: QueryCondition) => (fieldName === 'id' ? queryPage(entity, condition) : queryAll(entity, condition))
    for (const part of chunks(unique(values), maxOrConditions)) {
      const anyOf = or(...part.map((value) => field(fieldName, 'Equals', value)))
      for (const row of await read(extra ? and(extra, anyOf) : anyOf)) rows.set(row.id, row)
    }
    return [...rows.values()].sort((a, b) => a.id - b.id)
  }

  async function fieldInfo(entity: string): Promise<AutotaskFieldInfo[]> {
    const result = (await onCurrentZone(async () => {
      const soapClient = await client()
      return gate.run(entity, () => call(soapClient, 'GetFieldInfo', { psObjectType: entity }))
    })) as { GetFieldInfoResult?: { Field?: unknown } | null }
    return asArray(result.GetFieldInfoResult?.Field).map((raw) => {
      const item = raw as Record<string, unknown>
      const text = (value: unknown) => (value === undefined || value === null ? '' : String(value))
      return {
        name: text(item.Name),
        label: text(item.Label),
        type: text(item.Type),
        length: Number(item.Length ?? 0),
        isRequired: item.IsRequired === true || item.IsRequired === 'true',
        isReadOnly: item.IsReadOnly === true || item.IsReadOnly === 'true',
        isQueryable: item.IsQueryable === true || item.IsQueryable === 'true',
        isReference: item.IsReference === true || item.IsReference === 'true',
        referenceEntityType: text(item.ReferenceEntityType) || null,
        isPickList: item.IsPickList === true || item.IsPickList === 'true',
        picklistParentValueField: text(item.PicklistParentValueField) || null,
        picklistValues: asArray((item.PicklistValues as { PickListValue?: unknown } | null)?.PickListValue).map((entry) => {
          const value = entry as Record<string, unknown>
          const parent = text(value.parentValue)
          return {
            value: Number(value.Value),
            label: text(value.Label),
            isActive: value.IsActive === undefined ? true : value.IsActive === true || value.IsActive === 'true',
            isDefault: value.IsDefaultValue === true || value.IsDefaultValue === 'true',
            sortOrder: Number(value.SortOrder ?? 0),
            parentValue: parent === '' ? null : Number(parent),
          }
        }),
      }
    })
  }

  /**
   * One create/update call, answering the saved ids in the order sent; Autotask's threshold and
   * IntegrationCode errors stop the batch instead of splitting it. Never resent here: a create
   * whose answer was lost fails `outcome_unknown` (updates set absolute values, so the engine
   * simply pushes them again). Nothing is read back here: see readBack.
   */
  async function writeBatch(
    entity: string,
    operation: 'create' | 'update',
    items: Array<Parameters<typeof writeRawEntity>[1]>,
  ): Promise<BatchOutcome<RawEntity>> {
    const creating = operation === 'create'
    // Fields go out in the order of the WSDL this client loaded (XmlSerializer reads a sequence).
    const response = await atws(entity, operation, (soapClient) => {
      const order = entityFieldOrder(soapClient, entity)
      return entitiesArgument(items.map((item) => writeRawEntity(entity, item, order)))
    }).catch((error: unknown) => {
      throw creating ? failedCreate(error) : error
    })
    if (Number(response.ReturnCode) !== 1) {
      const messages = errorMessages(response)
      const classified = errorFromAutotaskMessages(messages)
      if (classified.code !== 'rejected') throw classified
      return { ok: false, messages }
    }
    return { ok: true, entities: asArray(response.EntityResults?.Entity).map((raw) => readRawEntity(raw)) }
  }

  const { answeredOrReadBack, readBack } = createWriteAnswers(findTicketsByIds)

  async function findTicketsByIds(ids: readonly number[]): Promise<AutotaskTicketEntity[]> {
    return (await queryByValues('Ticket', 'id', ids)).map(ticketFromRaw)
  }

  async function findNotesByIds(ids: readonly number[]): Promise<AutotaskTicketNoteEntity[]> {
    return (await queryByValues('TicketNote', 'id', ids)).map(noteFromRaw)
  }

  return {
    /** The zone endpoint in use (after the first call). */
    get zoneUrl(): string | undefined {
      return zoneUrl
    },
    /** Checks the credentials with the cheapest charged call. */
    async testConnection(): Promise<AutotaskThresholdInfo> {
      return this.getThresholdAndUsageInfo()
    },
    findTicketsByIds,
    findNotesByIds,
    async findTicketsByNumbers(ticketNumbers: readonly string[]): Promise<AutotaskTicketEntity[]> {
      return (await queryByValues('Ticket', 'TicketNumber', ticketNumbers)).map(ticketFromRaw)
    },
    async findTicketsByExternalIds(externalIds: readonly string[]): Promise<AutotaskTicketEntity[]> {
      return (await queryByValues('Ticket', 'ExternalID', externalIds)).map(ticketFromRaw)
    },
    /** Tickets with LastActivityDate >= since (a note added to a ticket moves it too). */
    async findTicketsChangedSince(since: Date): Promise<AutotaskTicketEntity[]> {
      return (await queryAll('Ticket', field('LastActivityDate', 'GreaterThanOrEquals', since))).map(ticketFromRaw)
    },
    async findNotesByTicketIds(ticketIds: readonly number[]): Promise<AutotaskTicketNoteEntity[]> {
      return (await queryByValues('TicketNote', 'TicketID', ticketIds)).map(noteFromRaw)
    },
    /**
     * Tickets with LastActivityDate in [since, until), one page (≤ 500) at a time; with `leaveOut`,
     * less those its resource touched last, except the tickets it names (see ownWritesLeftOut).
     */
    async *ticketPagesChangedSince(since: Date, until?: Date, leaveOut?: OwnActivityLeftOut): AsyncGenerator<AutotaskTicketEntity[]> {
      const changed = activityBetween(since, until)
      const condition = leaveOut
        ? and(
            changed,
            or(
              field('LastActivityResourceID', 'NotEqual', leaveOut.resourceId),
              field('LastActivityResourceID', 'IsNull'),
              ...leaveOut.exceptTicketIds.map((id) => field('id', 'Equals', id)),
            ),
          )
        : changed
      for await (const page of queryPages('Ticket', condition)) yield page.map(ticketFromRaw)
    },
    /** Notes with LastActivityDate in [since, until), one page (≤ 500) at a time. */
    async *notePagesChangedSince(since: Date, until?: Date, excludeCreatorResourceId?: number): AsyncGenerator<AutotaskTicketNoteEntity[]> {
      for await (const page of queryPages('TicketNote', notesChangedCondition(since, until, excludeCreatorResourceId))) yield page.map(noteFromRaw)
    },
    async findNotesChangedSince(since: Date, ticketIds?: readonly number[], excludeCreatorResourceId?: number): Promise<AutotaskTicketNoteEntity[]> {
      const changed = notesChangedCondition(since, undefined, excludeCreatorResourceId)
      const rows = ticketIds === undefined ? await queryAll('TicketNote', changed) : await queryByValues('TicketNote', 'TicketID', ticketIds, changed)
      return rows.map(noteFromRaw)
    },
    /** Products whose ReferenceNumber equals any of `references` (Autotask compares case-insensitively). */
    async findInstalledProductsByReferenceNumbers(references: readonly string[]): Promise<AutotaskInstalledProductEntity[]> {
      return (await queryByValues('InstalledProduct', 'ReferenceNumber', references)).map(installedProductFromRaw)
    },
    /** Every product with a ReferenceNumber, from `afterId` on, optionally only those modified since. */
    async listInstalledProducts({ afterId, changedSince }: ListInstalledProductsOptions = {}): Promise<AutotaskInstalledProductEntity[]> {
      const withReference = field('ReferenceNumber', 'IsNotNull')
      const condition = changedSince ? and(withReference, field('LastModifiedTime', 'GreaterThanOrEquals', changedSince)) : withReference
      return (await queryAll('InstalledProduct', condition, afterId)).map(installedProductFromRaw)
    },
    async findAccountsByIds(ids: readonly number[]): Promise<AutotaskAccountEntity[]> {
      return (await queryByValues('Account', 'id', ids)).map(accountFromRaw)
    },
    /** Active accounts whose name contains `text`: one page at most, the first `limit` by id. */
    async searchAccountsByName(text: string, limit: number): Promise<AutotaskAccountEntity[]> {
      const rows = await queryPage('Account', and(field('AccountName', 'Contains', text), field('Active', 'Equals', true)))
      return rows.slice(0, limit).map(accountFromRaw)
    },
    async findResourcesByIds(ids: readonly number[]): Promise<AutotaskResourceEntity[]> {
      return (await queryByValues('Resource', 'id', ids)).map(resourceFromRaw)
    },
    /**
     * The API user's own resource: the one whose Email or UserName is the API username (API users
     * log in with an email-shaped username; which of the two fields holds it is a guess, so both
     * are asked in one query). Null when none or several match: a wrong guess must not hide notes.
     */
    async findOwnResource(): Promise<AutotaskResourceEntity | null> {
      const rows = await queryPage('Resource', or(field('Email', 'Equals', options.username), field('UserName', 'Equals', options.username)))
      return rows.length === 1 ? resourceFromRaw(rows[0]!) : null
    },
    getFieldInfo: fieldInfo,
    /** Picklists per field, read once per client and entity. */
    getPicklists: createPicklistCache(fieldInfo),
    async getThresholdAndUsageInfo(): Promise<AutotaskThresholdInfo> {
      const response = await atws('ThresholdInformation', 'getThresholdAndUsageInfo', {})
      if (Number(response.ReturnCode) !== 1) throw errorFromAutotaskMessages(errorMessages(response))
      const info = asArray(response.EntityReturnInfoResults?.EntityReturnInfo)[0] as { Message?: unknown } | undefined
      const message = String(info?.Message ?? '')
      const number = (name: string) => Number(new RegExp(`${name}:\\s*(\\d+)`, 'i').exec(message)?.[1] ?? NaN)
      return {
        threshold: number('ThresholdOfExternalRequest'),
        timeframeMinutes: number('TimeframeOfLimitation'),
        requestsInTimeframe: number('numberOfExternalRequest'),
      }
    },
    async createTickets(tickets: readonly NewAutotaskTicketEntity[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return readBack(savedIds(await writeInBatches(tickets, (batch) => writeBatch('Ticket', 'create', batch.map(ticketToRaw)))), true)
    },
    /**
     * Updates whole tickets. Autotask clears every writable field an update leaves out, so pass a
     * ticket freshly read with findTicketsByIds (its otherFields and userDefinedFields included)
     * with only the intended changes applied; a stale copy would undo a technician's edits.
     */
    async updateTickets(tickets: readonly AutotaskTicketEntity[]): Promise<Array<EntityWriteResult<AutotaskTicketEntity>>> {
      return answeredOrReadBack(await writeInBatches(tickets, (batch) => writeBatch('Ticket', 'update', batch.map(ticketToRaw))))
    },
    /** Creates notes without reading them back (findNotesByIds does, when the computed fields matter). */
    async createNotes(notes: readonly NewAutotaskTicketNoteEntity[]): Promise<Array<EntityWriteResult<CreatedAutotaskTicketNoteEntity>>> {
      const written = await writeInBatches(notes, (batch) => writeBatch('TicketNote', 'create', batch.map(noteToRaw)), {
        keyOf: (note) => note.ticketId,
      })
      return savedIds(written).map((result, index) => (result.ok ? { ok: true, entity: { ...notes[index]!, id: result.entity } } : result))
    },
  }
}

export type AutotaskSoapClient = ReturnType<typeof createAutotaskSoapClient>
