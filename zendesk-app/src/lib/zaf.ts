// The only module that touches the ZAF SDK (lint forbids it elsewhere): the rest of the app talks to
// the typed `ZafClient` below, and tests hand the app a fake implementing the same interface.
import ZAFClient from 'zendesk_app_framework_sdk'

export interface ZafMetadata {
  appId: number
  installationId: number
  name: string
  version: string
  /** Non-secure settings only: secure ones never reach the browser. */
  settings: Record<string, string | number | boolean | null | undefined>
}

export interface ZafContext {
  product: string
  location: string
  instanceGuid: string
  account: { subdomain: string }
  ticketId?: number
}

export interface ZafRegistration {
  metadata: ZafMetadata
  context: ZafContext
}

/** What Zendesk's proxy signs for a `jwt` request (option names as in Zendesk's jwt sample app). */
export interface ZafJwtOptions {
  algorithm: 'HS256'
  /** A `{{setting.<secure setting>}}` placeholder: the proxy substitutes the secret server-side. */
  secret_key: string
  expiry: number
  claims: Record<string, string | number>
}

export interface ZafRequestOptions {
  url: string
  type: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  contentType?: string
  dataType?: 'json' | 'text'
  data?: string
  headers?: Record<string, string>
  secure?: boolean
  cors?: boolean
  jwt?: ZafJwtOptions
  timeout?: number
}

/** How a failed `client.request` rejects: a jqXHR-like object from the host. */
export interface ZafRequestFailure {
  status: number
  statusText?: string
  responseText?: string
  responseJSON?: unknown
}

export type ZafEventHandler = (payload?: unknown) => void

export interface ZafClient {
  /** Resolves once the host has answered the handshake with `app.registered`. */
  whenRegistered(): Promise<ZafRegistration>
  on(event: string, handler: ZafEventHandler): void
  off(event: string, handler: ZafEventHandler): void
  get(path: string): Promise<Record<string, unknown>>
  invoke(name: string, ...args: unknown[]): Promise<unknown>
  request(options: ZafRequestOptions): Promise<unknown>
}

interface SdkClient {
  on(event: string, handler: (payload?: unknown) => void): void
  off(event: string, handler: (payload?: unknown) => void): void
  get(path: string): Promise<Record<string, unknown>>
  invoke(name: string, ...args: unknown[]): Promise<unknown>
  request(options: ZafRequestOptions): Promise<unknown>
}

interface SdkModule {
  init(callback?: (registration: ZafRegistration) => void): SdkClient | false
}

export function isRequestFailure(value: unknown): value is ZafRequestFailure {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number'
}

/**
 * Connects to the hosting Zendesk frame. Returns null when the page was opened outside Zendesk
 * (no `origin`/`app_guid` in the URL), so the caller can say so instead of waiting forever.
 */
export function connectZafClient(): ZafClient | null {
  let resolveRegistered: (registration: ZafRegistration) => void = () => undefined
  const registered = new Promise<ZafRegistration>((resolve) => {
    resolveRegistered = resolve
  })
  // The handler is attached inside init, before the handshake leaves, so the answer cannot be missed.
  const sdk = (ZAFClient as unknown as SdkModule).init((registration) => resolveRegistered(registration))
  if (!sdk) return null
  return {
    whenRegistered: () => registered,
    on: (event, handler) => sdk.on(event, handler),
    off: (event, handler) => sdk.off(event, handler),
    get: (path) => sdk.get(path),
    invoke: (name, ...args) => sdk.invoke(name, ...args),
    request: (options) => sdk.request(options),
  }
}
