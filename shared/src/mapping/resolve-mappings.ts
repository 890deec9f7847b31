import {
  DEFAULT_DUE_HOURS,
  DEFAULT_PRIORITY_LABELS,
  DEFAULT_STATUS_LABELS,
  EXCLUDED_NOTE_TYPE_LABEL,
  ZENDESK_PRIORITIES,
  ZENDESK_STATUSES,
  type ConnectionSettings,
  type ZendeskPriority,
  type ZendeskStatus,
} from './connection-settings'

export interface PicklistOption {
  value: number
  label: string
  isActive: boolean
  isDefault?: boolean
}

/** The live picklists a connection's mappings are checked against. */
export interface TicketPicklists {
  priority: PicklistOption[]
  status: PicklistOption[]
  queue: PicklistOption[]
  source: PicklistOption[]
  ticketType: PicklistOption[]
  noteType: PicklistOption[]
}

/** Settings turned into concrete picklist ids, valid for one Autotask database. */
export interface ResolvedMappings {
  priority: Record<ZendeskPriority, number>
  defaultPriority: number
  status: Record<ZendeskStatus, number>
  queueId: number | null
  sourceId: number | null
  ticketTypeId: number | null
  noteTypeId: number
  dueHours: Record<ZendeskPriority, number>
  noteTypesToZendesk: Set<number>
  publicNotesToZendesk: boolean
  createForSolved: boolean
}

export interface MappingProblem {
  /** The setting, e.g. `priority.urgent`. */
  setting: string
  message: string
}

export type ResolveResult = { ok: true; mappings: ResolvedMappings } | { ok: false; problems: MappingProblem[] }

/**
 * Checks every mapped id against the live picklists and fills defaults by label. A connection is
 * ready only when this succeeds (server/src/sync/README.md R1).
 */
export function resolveMappings(settings: ConnectionSettings, picklists: TicketPicklists): ResolveResult {
  const problems: MappingProblem[] = []

  const pick = (setting: string, options: PicklistOption[], id: number | null | undefined, defaultLabel?: string): number | null => {
    const active = options.filter((option) => option.isActive)
    if (id !== undefined && id !== null) {
      if (active.some((option) => option.value === id)) return id
      const inactive = options.find((option) => option.value === id)
      problems.push({
        setting,
        message: inactive ? `${inactive.label} (${id}) is inactive in Autotask` : `${id} is not a value of this Autotask picklist (${describe(active)})`,
      })
      return null
    }
    if (defaultLabel === undefined) return null
    const byLabel = active.find((option) => option.label.toLowerCase() === defaultLabel.toLowerCase())
    if (byLabel) return byLabel.value
    problems.push({ setting, message: `no active value labelled "${defaultLabel}"; choose one of ${describe(active)}` })
    return null
  }

  const priority = Object.fromEntries(
    ZENDESK_PRIORITIES.map((key) => [key, pick(`priority.${key}`, picklists.priority, settings.priority?.[key], DEFAULT_PRIORITY_LABELS[key])]),
  ) as Record<ZendeskPriority, number>
  const defaultPriority = pick('defaultPriority', picklists.priority, settings.defaultPriority, DEFAULT_PRIORITY_LABELS.normal)
  const status = Object.fromEntries(
    ZENDESK_STATUSES.map((key) => [key, pick(`status.${key}`, picklists.status, settings.status?.[key], DEFAULT_STATUS_LABELS[key])]),
  ) as Record<ZendeskStatus, number>
  const queueId = pick('queueId', picklists.queue, settings.queueId)
  const sourceId = pick('sourceId', picklists.source, settings.sourceId)
  const ticketTypeId = pick('ticketTypeId', picklists.ticketType, settings.ticketTypeId)
  const noteTypeId =
    settings.noteTypeId !== undefined && settings.noteTypeId !== null
      ? pick('noteTypeId', picklists.noteType, settings.noteTypeId)
      : firstActiveNoteType(picklists.noteType, problems)

  const noteTypesToZendesk = new Set(
    settings.noteTypesToZendesk ?? picklists.noteType.filter((option) => !EXCLUDED_NOTE_TYPE_LABEL.test(option.label)).map((option) => option.value),
  )
  for (const id of settings.noteTypesToZendesk ?? []) {
    if (!picklists.noteType.some((option) => option.value === id)) {
      problems.push({ setting: 'noteTypesToZendesk', message: `${id} is not a note type of this Autotask database` })
    }
  }

  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    mappings: {
      priority,
      defaultPriority: defaultPriority as number,
      status,
      queueId,
      sourceId,
      ticketTypeId,
      noteTypeId: noteTypeId as number,
      dueHours: { ...DEFAULT_DUE_HOURS, ...definedOnly(settings.dueHours ?? {}) },
      noteTypesToZendesk,
      publicNotesToZendesk: settings.publicNotesToZendesk ?? false,
      createForSolved: settings.createForSolved ?? false,
    },
  }
}

function firstActiveNoteType(options: PicklistOption[], problems: MappingProblem[]): number | null {
  const active = options.filter((option) => option.isActive && !EXCLUDED_NOTE_TYPE_LABEL.test(option.label))
  const chosen = active.find((option) => option.isDefault) ?? active[0]
  if (chosen) return chosen.value
  problems.push({ setting: 'noteTypeId', message: 'this Autotask database has no active note type' })
  return null
}

function describe(options: PicklistOption[]): string {
  return options.length === 0 ? 'none are active' : options.map((option) => `${option.value} ${option.label}`).join(', ')
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>
}
