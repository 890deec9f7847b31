import type { EmulatedDatabase } from './emulated-database'
import { cloneRecord, createEmulatedDatabase } from './emulated-database'
import { createAlternatePicklists, createDefaultPicklists } from './emulated-picklists'
import type { SeededDemo } from './demo-seed'
import { seedDemoData } from './demo-seed'
import type { EmulatedRecord, FieldValue } from './record-query'
import { createLostResponses } from '../lost-responses'
import type { ServiceClock } from '../service-clock'

/**
 * The Autotask emulator's state and behaviour, free of any protocol: typed values, UTC dates and
 * Autotask's field names. The SOAP face (soap-face.ts) and the REST face (rest-face.ts) read and write it.
 */

export const sandboxCredentials = {
  userName: 'api@demo.test',
  secret: 'sandbox-secret',
  integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
} as const

export const alternateSandboxCredentials = { ...sandboxCredentials, userName: 'api@alt.test' } as const

/** Autotask has never published the exact SOAP rendering of these errors; both plausible ones can be played. */
export type ThresholdErrorStyle = 'atws-error' | 'soap-fault'

export interface EmulatorFaults {
  /** Added to every SOAP request, inside its concurrency slot. */
  latencyMs: number
  /** Added per entity a create or update carries (a 200-entity batch costs more than one entity; see SOURCES.md: a guess). */
  latencyPerEntityMs: number
  /** Share of requests (0..1) answered with an HTTP 500 SOAP fault. */
  errorRate: number
  /** While true, or until this time, every request gets HTTP 503. */
  outage: boolean | Date
  hourlyLimit: number
  threadLimit: number
  thresholdErrorStyle: ThresholdErrorStyle
}

export interface EmulatorCounters {
  total: number
  /** Requests per protocol face (`soap`, `rest`): the limits count both together. */
  byFace: Record<string, number>
  byOperation: Record<string, number>
  byOperationAndEntity: Record<string, number>
  rejected: Record<string, number>
  /**
   * Per `operation:entity`, the admitted requests served and their own service time (from receipt
   * to answer, the injected latency and the test latch left out: service-clock.ts), and how many
   * entities their creates and updates carried. The benchmark's service floor reads it.
   */
  service: Record<string, ServiceTotals>
}

export interface ServiceTotals {
  requests: number
  /** By the wall clock. */
  ms: number
  /** The process's CPU time in the same stretches. */
  cpuMs: number
  written: number
}

export type AdmissionRejection = { kind: 'thread' | 'hourly'; message: string }

export interface AutotaskEmulatorOptions {
  /** Seed demo data (default true). */
  seed?: boolean
  random?: () => number
}

export interface TechnicianNoteInput {
  title?: string
  description: string
  noteType?: number
  publish?: number
  resourceId?: number
}

const defaultFaults: EmulatorFaults = {
  latencyMs: 0,
  latencyPerEntityMs: 0,
  errorRate: 0,
  outage: false,
  hourlyLimit: 10_000,
  threadLimit: 3,
  thresholdErrorStyle: 'atws-error',
}

const rollingWindowMs = 60 * 60 * 1000

export function createAutotaskEmulator(options: AutotaskEmulatorOptions = {}) {
  let clockOffsetMs = 0
  const now = () => new Date(Date.now() + clockOffsetMs)
  const lostResponses = createLostResponses()
  // Injected errors draw from the lost-responses generator too, so one seed replays a run's faults.
  const random = options.random ?? (() => lostResponses.random())
  let faults: EmulatorFaults = { ...defaultFaults }
  const emptyCounters = (): EmulatorCounters => ({ total: 0, byFace: {}, byOperation: {}, byOperationAndEntity: {}, rejected: {}, service: {} })
  let counters = emptyCounters()
  const requestTimes = new Map<string, number[]>()
  const inFlight = new Map<string, number>()

  const demo = createEmulatedDatabase({
    key: 'demo',
    ...sandboxCredentials,
    ci: 30_049,
    picklists: createDefaultPicklists(),
    udfNames: { Ticket: ['Cluster ID', 'Customer Reference'] },
    defaultTicketCategory: 3,
    now,
  })
  const alternate = createEmulatedDatabase({
    key: 'alt',
    ...alternateSandboxCredentials,
    ci: 513_558,
    picklists: createAlternatePicklists(),
    udfNames: { Ticket: ['Cluster ID', 'Contract Tier'] },
    // This tenant's ticket categories demand a queue, and "Managed Cluster" an issue type too.
    categoryRequiredFields: { 3: ['QueueID'], 105: ['QueueID', 'IssueType'] },
    defaultTicketCategory: 105,
    now,
  })
  const databases: EmulatedDatabase[] = [demo, alternate]
  const seeded = new Map<string, SeededDemo>()
  if (options.seed !== false) {
    for (const database of databases) seeded.set(database.key, seedDemoData(database, database.userName))
  }

  function database(key = 'demo'): EmulatedDatabase {
    const found = databases.find((candidate) => candidate.key === key)
    if (!found) throw new Error(`no emulated database ${key}`)
    return found
  }

  function findDatabaseByUser(userName: string): EmulatedDatabase | undefined {
    return databases.find((candidate) => candidate.userName.toLowerCase() === userName.trim().toLowerCase())
  }

  function authenticate(userName: string, secret: string): EmulatedDatabase | undefined {
    const found = findDatabaseByUser(userName)
    return found && found.secret === secret ? found : undefined
  }

  // The zone each database lives in ('' = the home zone; see emulated-zones.ts), and moves to come.
  const zones = new Map<string, string>()
  const pendingMoves = new Map<string, { zone: string; remaining: number }>()

  function count(operation: string, entity?: string, face = 'soap') {
    for (const [key, move] of pendingMoves) {
      move.remaining -= 1
      if (move.remaining <= 0) {
        zones.set(key, move.zone)
        pendingMoves.delete(key)
      }
    }
    counters.total += 1
    counters.byFace[face] = (counters.byFace[face] ?? 0) + 1
    counters.byOperation[operation] = (counters.byOperation[operation] ?? 0) + 1
    if (entity) {
      const key = `${operation}:${entity}`
      counters.byOperationAndEntity[key] = (counters.byOperationAndEntity[key] ?? 0) + 1
    }
  }

  /** One served request's own service time and the entities it wrote (see EmulatorCounters.service). */
  function countService(operation: string, entity: string | undefined, clock: ServiceClock, written: number) {
    const key = entity ? `${operation}:${entity}` : operation
    const totals = (counters.service[key] ??= { requests: 0, ms: 0, cpuMs: 0, written: 0 })
    totals.requests += 1
    totals.ms += clock.serviceMs()
    totals.cpuMs += clock.cpuMs()
    totals.written += written
  }

  function countRejection(kind: string) {
    counters.rejected[kind] = (counters.rejected[kind] ?? 0) + 1
  }

  function requestsLastHour(target: EmulatedDatabase): number {
    const cutoff = now().getTime() - rollingWindowMs
    const times = (requestTimes.get(target.key) ?? []).filter((time) => time > cutoff)
    requestTimes.set(target.key, times)
    return times.length
  }

  /**
   * Charges one request to the database's rolling hour and takes a thread slot per integration
   * code and entity; the caller releases the slot when the answer is sent.
   */
  function admit(target: EmulatedDatabase, integrationCode: string, entity: string, method: string): { release: () => void } | AdmissionRejection {
    if (requestsLastHour(target) >= faults.hourlyLimit) {
      countRejection('hourlyThreshold')
      return {
        kind: 'hourly',
        message: `Request threshold exceeded: the Autotask API external request threshold of ${faults.hourlyLimit} requests per 60 minutes has been exceeded for this database. Method: ${method}`,
      }
    }
    const slot = `${target.key}|${integrationCode}|${entity.toLowerCase()}`
    const busy = inFlight.get(slot) ?? 0
    if (busy >= faults.threadLimit) {
      countRejection('threadThreshold')
      return {
        kind: 'thread',
        message: `Thread Threshold Exceeded - The Autotask API thread threshold of ${faults.threadLimit} threads has been exceeded. Method: ${method}`,
      }
    }
    requestTimes.get(target.key)?.push(now().getTime())
    inFlight.set(slot, busy + 1)
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        inFlight.set(slot, (inFlight.get(slot) ?? 1) - 1)
      },
    }
  }

  // A latch for tests, not an Autotask behaviour: while held, admitted requests wait inside their
  // thread slot until released, so "these requests were in flight together" never depends on how
  // fast a loaded machine runs them (a latency window would).
  let hold: { released: Promise<void>; release: () => void; waiting: number } | undefined

  function holdRequests(): { release: () => void; waiting: () => number } {
    let open!: () => void
    const released = new Promise<void>((resolve) => (open = resolve))
    const current = {
      released,
      waiting: 0,
      release: () => {
        if (hold === current) hold = undefined
        open()
      },
    }
    hold = current
    return { release: current.release, waiting: () => current.waiting }
  }

  async function whileHeld(): Promise<void> {
    const current = hold
    if (!current) return
    current.waiting += 1
    try {
      await current.released
    } finally {
      current.waiting -= 1
    }
  }

  function isInOutage(): boolean {
    if (faults.outage instanceof Date) return now() < faults.outage
    return faults.outage
  }

  function requireTicket(target: EmulatedDatabase, ticketId: number): EmulatedRecord {
    const ticket = target.records.Ticket.get(ticketId)
    if (!ticket) throw new Error(`ticket ${ticketId} does not exist in ${target.key}`)
    return ticket
  }

  function technicianId(target: EmulatedDatabase, resourceId?: number): number {
    return resourceId ?? seeded.get(target.key)?.technicianIds[0] ?? target.apiResourceId
  }

  /** A technician writes a note in the Autotask UI (not through the API). */
  function addTechnicianNote(ticketId: number, note: TechnicianNoteInput, databaseKey = 'demo'): EmulatedRecord {
    const target = database(databaseKey)
    requireTicket(target, ticketId)
    const resourceId = technicianId(target, note.resourceId)
    const record = target.insert('TicketNote', {
      TicketID: ticketId,
      Title: note.title ?? '',
      Description: note.description,
      NoteType: note.noteType ?? target.defaultPicklistValue('TicketNote', 'NoteType'),
      Publish: note.publish ?? target.defaultPicklistValue('TicketNote', 'Publish'),
      CreatorResourceID: resourceId,
    })
    target.touchTicket(ticketId, now(), { resourceId })
    return record
  }

  /** A technician edits ticket fields in the Autotask UI; only the given fields change. */
  function editTicket(ticketId: number, changes: Record<string, FieldValue>, databaseKey = 'demo', resourceId?: number): EmulatedRecord {
    const target = database(databaseKey)
    const ticket = requireTicket(target, ticketId)
    const at = now()
    const wasComplete = ticket.fields.Status === 5
    Object.assign(ticket.fields, changes)
    if (ticket.fields.Status === 5 && !wasComplete) ticket.fields.CompletedDate = at
    if (ticket.fields.Status !== 5) ticket.fields.CompletedDate = null
    target.touchTicket(ticketId, at, { resourceId: technicianId(target, resourceId) })
    return cloneRecord(ticket)
  }

  /** Deleting in the UI removes the ticket and its notes (the API itself cannot delete either). */
  function deleteTicket(ticketId: number, databaseKey = 'demo'): void {
    const target = database(databaseKey)
    requireTicket(target, ticketId)
    target.records.Ticket.delete(ticketId)
    for (const [id, note] of target.records.TicketNote) if (note.fields.TicketID === ticketId) target.records.TicketNote.delete(id)
  }

  /**
   * Merges `sourceId` into `survivorId` as Autotask's UI does: the source's notes are copied to the
   * survivor, the source is completed, and each side gets a system note naming the other.
   */
  function mergeTickets(sourceId: number, survivorId: number, databaseKey = 'demo'): void {
    const target = database(databaseKey)
    const source = requireTicket(target, sourceId)
    const survivor = requireTicket(target, survivorId)
    const at = now()
    const resourceId = technicianId(target)
    const notes = [...target.records.TicketNote.values()].filter((note) => note.fields.TicketID === sourceId).sort((a, b) => a.id - b.id)
    for (const note of notes)
      target.insert('TicketNote', { ...note.fields, TicketID: survivorId, CreatorResourceID: note.fields.CreatorResourceID ?? resourceId })
    target.insert('TicketNote', {
      TicketID: sourceId,
      Title: 'Merged Into Ticket',
      Description: `This ticket was merged into ticket ${String(survivor.fields.TicketNumber)}.`,
      NoteType: 93,
      Publish: 1,
      CreatorResourceID: resourceId,
    })
    target.insert('TicketNote', {
      TicketID: survivorId,
      Title: 'Absorbed Another Ticket',
      Description: `Ticket ${String(source.fields.TicketNumber)} was merged into this ticket.`,
      NoteType: 94,
      Publish: 1,
      CreatorResourceID: resourceId,
    })
    source.fields.Status = 5
    source.fields.CompletedDate = at
    target.touchTicket(sourceId, at, { resourceId })
    target.touchTicket(survivorId, at, { resourceId })
  }

  /**
   * Autotask moves the tenant of `databaseKey` to `zone`: lookups answer it, the old zone refuses
   * it. With `afterRequests`, the move happens once that many more requests have arrived (a move
   * in the middle of a sync).
   */
  function moveToZone(zone: string, databaseKey = 'demo', afterRequests = 0): void {
    const key = database(databaseKey).key
    if (afterRequests > 0) pendingMoves.set(key, { zone, remaining: afterRequests })
    else {
      pendingMoves.delete(key)
      zones.set(key, zone)
    }
  }

  return {
    now,
    databases,
    zoneOf: (target: EmulatedDatabase) => zones.get(target.key) ?? '',
    moveToZone,
    database,
    findDatabaseByUser,
    authenticate,
    seeded: (key = 'demo') => seeded.get(key),
    admit,
    isInOutage,
    shouldInjectError: () => faults.errorRate > 0 && random() < faults.errorRate,
    count,
    countService,
    countRejection,
    requestsLastHour: (key = 'demo') => requestsLastHour(database(key)),
    get faults(): Readonly<EmulatorFaults> {
      return faults
    },
    setFaults(changes: Partial<EmulatorFaults>) {
      faults = { ...faults, ...changes }
    },
    resetFaults() {
      faults = { ...defaultFaults }
      lostResponses.clear()
      hold?.release()
    },
    /** Holds every admitted request in its slot until `release()` (or resetFaults); `waiting()` counts them. */
    holdRequests,
    whileHeld,
    /** Creates and updates that take effect and then lose their answer, on both faces; cleared with the other faults. */
    lostResponses,
    counters(): EmulatorCounters {
      return structuredClone(counters)
    },
    resetCounters() {
      counters = emptyCounters()
    },
    /** Clears the rolling-hour request log (tests of the hourly threshold). */
    resetUsage() {
      requestTimes.clear()
    },
    setClockOffset(offsetMs: number) {
      clockOffsetMs = offsetMs
    },
    addTechnicianNote,
    editTicket,
    deleteTicket,
    mergeTickets,
    getTicket: (id: number, databaseKey = 'demo') => {
      const ticket = database(databaseKey).records.Ticket.get(id)
      return ticket ? cloneRecord(ticket) : undefined
    },
    listTickets: (databaseKey = 'demo') => [...database(databaseKey).records.Ticket.values()].map(cloneRecord),
    listNotes: (ticketId?: number, databaseKey = 'demo') =>
      [...database(databaseKey).records.TicketNote.values()].filter((note) => ticketId === undefined || note.fields.TicketID === ticketId).map(cloneRecord),
  }
}

export type AutotaskEmulator = ReturnType<typeof createAutotaskEmulator>
