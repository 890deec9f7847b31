import type { FastifyServerOptions } from 'fastify'

/**
 * Keys whose values are credentials wherever they appear in a log line's objects (headers,
 * bodies, errors' details): replaced by "[redacted]" before the line is written.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  '"set-cookie"',
  '"x-csrf-token"',
  '"x-zendesk-webhook-signature"',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'secret',
  'clientSecret',
  'client_secret',
  'sharedSecret',
  'appSharedSecret',
  'signingSecret',
  'webhookSecret',
  'apiSecret',
  'apiToken',
  'integrationCode',
  'secretKey',
  'csrfToken',
  'setupCode',
] as const

/** pino's redact paths: each key at the top of a line's object and up to three levels down. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`])

/** Query parameters that carry credentials (OAuth codes, tokens): their values never reach a log. */
const SECRET_QUERY_PARAMETERS = /^(code|state|token|access_token|refresh_token|client_secret|password|secret|signature|jwt)$/i

/** A request URL as logged: path and query, with the values of credential parameters redacted. */
export function loggableUrl(url: string): string {
  const queryAt = url.indexOf('?')
  if (queryAt < 0) return url
  const parameters = new URLSearchParams(url.slice(queryAt + 1))
  for (const name of new Set(parameters.keys())) if (SECRET_QUERY_PARAMETERS.test(name)) parameters.set(name, '[redacted]')
  return `${url.slice(0, queryAt)}?${parameters.toString()}`
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/**
 * PSA Link's logger: JSON lines (pino) with Fastify's request id (`reqId`) on every line a request
 * logs, routes adding the Zendesk account and ticket they concern, and credentials redacted.
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggableUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    ...(stream ? { stream } : {}),
  }
}
