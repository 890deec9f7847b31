import type { SyncNowResponse, TicketStateResponse } from '@psa-link/shared'
import { isRequestFailure } from './zaf'
import type { ZafClient, ZafRequestOptions } from './zaf'

/** The backend (plugins/sidebar-auth) refuses tokens that live longer than 300 s. */
const TOKEN_LIFETIME_SECONDS = 240

export type BackendErrorKind = 'unreachable' | 'unauthorized' | 'rate_limited' | 'failed'

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    readonly status: number,
    message: string,
    /** The API's error code (ApiError.code), e.g. `autotask_ticket_not_found`. */
    readonly code: string | null = null,
  ) {
    super(message)
    this.name = 'BackendError'
  }
}

export interface SidebarIdentity {
  backendUrl: string
  subdomain: string
  userId: number
  ticketId: number
}

export interface PsaLinkBackend {
  getTicketState(notesCursor?: string | null): Promise<TicketStateResponse>
  syncNow(): Promise<SyncNowResponse>
  /** Polls a queued Sync now; answers like `syncNow` (`done` with the ticket, or still `queued`). */
  getSyncJob(jobId: string): Promise<SyncNowResponse>
  /** Links the ticket by hand to the Autotask ticket with this number; answers the new state. */
  linkTicket(autotaskTicketNumber: string): Promise<TicketStateResponse>
  unlinkTicket(): Promise<TicketStateResponse>
}

function kindOf(status: number): BackendErrorKind {
  // The proxy answers 0 when it cannot connect, and 502–504 when the backend does not answer in time.
  if (status === 0 || status === 502 || status === 503 || status === 504) return 'unreachable'
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 429) return 'rate_limited'
  return 'failed'
}

function codeOf(responseText: string | undefined): string | null {
  try {
    const code = (JSON.parse(responseText ?? '') as { code?: unknown }).code
    return typeof code === 'string' ? code : null
  } catch {
    return null
  }
}

function toBackendError(reason: unknown): BackendError {
  if (isRequestFailure(reason)) {
    return new BackendError(kindOf(reason.status), reason.status, reason.responseText ?? reason.statusText ?? '', codeOf(reason.responseText))
  }
  return new BackendError('unreachable', 0, reason instanceof Error ? reason.message : String(reason))
}

function parseBody<T>(data: unknown): T {
  const value = typeof data === 'string' ? (JSON.parse(data) as unknown) : data
  if (typeof value !== 'object' || value === null) throw new BackendError('failed', 200, 'Empty answer')
  return value as T
}

/**
 * Calls the PSA Link backend through Zendesk's proxy: `secure: true` makes the proxy sign the claims
 * below with the secure `shared_secret` setting (HS256) and put the token where `{{jwt.token}}` is.
 * The claims are written here, in the browser; the backend re-checks everything it uses.
 */
export function createBackend(client: ZafClient, identity: SidebarIdentity, now: () => number = Date.now): PsaLinkBackend {
  const base = identity.backendUrl.replace(/\/+$/, '')

  async function call<T>(type: ZafRequestOptions['type'], path: string, body: unknown = {}): Promise<T> {
    const issuedAt = Math.floor(now() / 1000)
    try {
      const data = await client.request({
        url: `${base}${path}`,
        type,
        contentType: 'application/json',
        dataType: 'json',
        ...(type === 'POST' ? { data: JSON.stringify(body) } : {}),
        secure: true,
        cors: false,
        headers: { Authorization: 'Bearer {{jwt.token}}' },
        jwt: {
          algorithm: 'HS256',
          secret_key: '{{setting.shared_secret}}',
          expiry: TOKEN_LIFETIME_SECONDS,
          claims: {
            iss: identity.subdomain,
            aud: 'psa-link',
            ticket_id: identity.ticketId,
            user_id: identity.userId,
            iat: issuedAt,
            exp: issuedAt + TOKEN_LIFETIME_SECONDS,
          },
        },
      })
      return parseBody<T>(data)
    } catch (reason) {
      throw reason instanceof BackendError ? reason : toBackendError(reason)
    }
  }

  const ticketPath = `/api/v1/tickets/${identity.ticketId}`
  return {
    getTicketState: (notesCursor) =>
      call<TicketStateResponse>('GET', notesCursor ? `${ticketPath}?notesCursor=${encodeURIComponent(notesCursor)}` : ticketPath),
    syncNow: () => call<SyncNowResponse>('POST', `${ticketPath}/sync`),
    getSyncJob: (jobId) => call<SyncNowResponse>('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`),
    linkTicket: (autotaskTicketNumber) => call<TicketStateResponse>('POST', `${ticketPath}/link`, { autotaskTicketNumber }),
    unlinkTicket: () => call<TicketStateResponse>('POST', `${ticketPath}/unlink`),
  }
}
