import { signHs256 } from './proxy-jwt'

/** What the sidebar passes to `client.request` (the parts Zendesk's proxy acts on). */
export interface ProxiedRequest {
  url: string
  type?: string
  contentType?: string | boolean
  data?: unknown
  headers?: Record<string, string>
  secure?: boolean
  jwt?: { algorithm?: string; secret_key?: string; expiry?: number; claims?: Record<string, unknown> }
  timeout?: number
}

/** What the proxy hands back to the host page: the response as jQuery's XHR would see it. */
export interface ProxiedResponse {
  status: number
  statusText: string
  responseText: string
  contentType: string | null
}

export interface ProxySettings {
  /** Every setting, secure ones included: only `secure: true` requests may use the secure ones. */
  values: Record<string, string>
  secureNames: ReadonlySet<string>
  /**
   * The one origin (scheme, host and port) the preview forwards to: PSA Link's backend. Zendesk's
   * own proxy fetches any URL, but this page runs on the backend itself, where an open proxy would
   * reach internal addresses, and secure settings must never leave for another port of the host.
   */
  allowedOrigin: string
}

const SETTING = /\{\{\s*setting\.([\w.-]+)\s*\}\}/g
const JWT_TOKEN = /\{\{\s*jwt\.token\s*\}\}/g
const DEFAULT_TIMEOUT_MS = 15_000

function refuse(status: number, statusText: string, message: string): ProxiedResponse {
  return { status, statusText, responseText: JSON.stringify({ error: statusText, description: message }), contentType: 'application/json' }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/**
 * Performs one `client.request` the way Zendesk's proxy does: placeholders `{{setting.x}}` filled
 * server-side (secure settings only for secure requests), to the backend's origin alone, an HS256 JWT signed
 * with the `jwt.secret_key` and put wherever `{{jwt.token}}` appears, then the call itself.
 */
export async function proxyZafRequest(request: ProxiedRequest, settings: ProxySettings, now: () => number = Date.now): Promise<ProxiedResponse> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return refuse(400, 'Bad Request', `Invalid URL: ${request.url}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(400, 'Bad Request', 'Only http(s) URLs can be proxied')
  const secure = request.secure === true
  if (url.origin !== settings.allowedOrigin)
    return refuse(403, 'Forbidden', `The preview forwards only to PSA Link's backend (${settings.allowedOrigin}), not to ${url.origin}`)

  const fill = (text: string): string | null => {
    let missing = false
    const filled = text.replace(SETTING, (_whole, name: string) => {
      const value = settings.values[name]
      if (value === undefined || (settings.secureNames.has(name) && !secure)) {
        missing = true
        return ''
      }
      return value
    })
    return missing ? null : filled
  }

  let token: string | null = null
  if (request.jwt) {
    if ((request.jwt.algorithm ?? 'HS256') !== 'HS256') return refuse(400, 'Bad Request', 'Only HS256 JWTs are supported')
    const secret = fill(request.jwt.secret_key ?? '')
    if (!secret) return refuse(400, 'Bad Request', 'jwt.secret_key does not name a setting this request may use')
    const issuedAt = Math.floor(now() / 1000)
    const claims: Record<string, unknown> = { iat: issuedAt, ...request.jwt.claims }
    if (claims['exp'] === undefined && typeof request.jwt.expiry === 'number') claims['exp'] = issuedAt + request.jwt.expiry
    token = signHs256(claims, secret)
  }
  const substitute = (text: string): string | null => {
    const filled = fill(text)
    return filled === null ? null : token ? filled.replace(JWT_TOKEN, token) : filled
  }

  const target = substitute(request.url)
  if (target === null) return refuse(400, 'Bad Request', 'The URL names a setting this request may not use')
  if (originOf(target) !== settings.allowedOrigin)
    return refuse(403, 'Forbidden', `The preview forwards only to PSA Link's backend (${settings.allowedOrigin})`)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const filled = substitute(value)
    if (filled === null) return refuse(400, 'Bad Request', `Header ${name} names a setting this request may not use`)
    headers[name] = filled
  }
  const method = (request.type ?? 'GET').toUpperCase()
  let body: string | undefined
  if (method !== 'GET' && method !== 'HEAD' && request.data !== undefined) {
    const raw = typeof request.data === 'string' ? request.data : JSON.stringify(request.data)
    const filled = substitute(raw)
    if (filled === null) return refuse(400, 'Bad Request', 'The body names a setting this request may not use')
    body = filled
    if (typeof request.contentType === 'string') headers['Content-Type'] = request.contentType
  }

  try {
    const response = await fetch(target, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeout ?? DEFAULT_TIMEOUT_MS),
    })
    return { status: response.status, statusText: response.statusText, responseText: await response.text(), contentType: response.headers.get('content-type') }
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return timedOut
      ? refuse(504, 'Gateway Timeout', 'The app backend did not answer in time')
      : refuse(502, 'Bad Gateway', 'The app backend could not be reached')
  }
}
