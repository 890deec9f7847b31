export interface Session {
  email: string
  accountId: number
  subdomain: string | null
  connectionId: number | null
  connectionName: string | null
  mustChangePassword: boolean
  csrfToken: string
}

export interface PicklistOption {
  value: number
  label: string
  isActive: boolean
}

export interface Picklists {
  priority: PicklistOption[]
  status: PicklistOption[]
  queue: PicklistOption[]
  source: PicklistOption[]
  ticketType: PicklistOption[]
  noteType: PicklistOption[]
}

export interface Connection {
  id: number
  name: string
  transport: 'soap' | 'rest'
  zoneUrl: string | null
  apiUsername: string
  status: 'untested' | 'ready' | 'failing'
  statusMessage: string | null
  paused: boolean
  settings: Record<string, unknown>
  picklists?: Picklists | null
  /** The Autotask labels unset priority and status mappings fall back to. */
  mappingDefaults?: { priority: Record<string, string>; status: Record<string, string> }
}

export interface Run {
  id: number
  kind: string
  trigger: string
  status: string
  startedAt: string
  finishedAt: string | null
  durationMs: number | null
  counts: Record<string, number>
  apiUsage: Record<string, number>
  error: string | null
  elapsedMs?: number
}

export interface Problem {
  id: number
  connectionName: string | null
  zendeskTicketId: number | null
  zendeskUrl: string | null
  autotaskTicketNumber: string | null
  autotaskUrl: string | null
  code: string
  title: string
  message: string
  remoteMessage: string | null
  attempts: number
  state: string
  lastSeenAt: string
}

export interface Backfill {
  id: number
  state: string
  startAt: string
  includeSolved: boolean
  totalTickets: number | null
  estimatedRequests: number | null
  progress: { ticketsDone: number; ticketsCreated: number; notesCreated: number; ticketsFailed: number }
  autotaskRequests: number
  resumeAt: string | null
  error: string | null
  startedAt: string | null
  updatedAt: string
  finishedAt: string | null
}
