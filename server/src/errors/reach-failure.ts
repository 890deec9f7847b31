import { IntegrationError } from './integration-error'

const REASONS: [RegExp, string][] = [
  [/ENOTFOUND|EAI_AGAIN/, 'the address does not resolve'],
  [/ECONNREFUSED/, 'the connection was refused'],
  [/ECONNRESET|EPIPE|socket hang up|UND_ERR_SOCKET/i, 'the connection was dropped'],
  [/EHOSTUNREACH|ENETUNREACH/, 'the network does not lead there'],
  [/CONNECT_TIMEOUT|ERR_SOCKET_CONNECTION_TIMEOUT/, 'the connection timed out'],
]

/**
 * What a failed call to Autotask or Zendesk means, in words for people: when the remote was never
 * reached (DNS, refused, dropped, timed out) "Could not reach …", not "Autotask answered: ENOTFOUND",
 * which reads as if Autotask had said something. `reached` tells whether the remote answered at all.
 */
export function describeRemoteFailure(system: 'Autotask' | 'Zendesk', error: unknown): { reached: boolean; message: string } {
  const message = error instanceof IntegrationError ? error.remoteMessage : error instanceof Error ? error.message : String(error)
  const code = error instanceof IntegrationError ? error.code : null
  if (code === 'timeout') return { reached: false, message: `Could not reach ${system}: ${message}` }
  const reason = REASONS.find(([pattern]) => pattern.test(message))?.[1]
  if (code === 'network' || (!(error instanceof IntegrationError) && reason)) {
    const host = /(?:ENOTFOUND|EAI_AGAIN)\s+([^\s,;]+)/.exec(message)?.[1] ?? /(?:ECONNREFUSED)\s+([^\s,;]+)/.exec(message)?.[1]
    return { reached: false, message: `Could not reach ${system}${host ? ` at ${host}` : ''}: ${reason ?? 'the network failed'}.` }
  }
  return { reached: true, message: `${system} answered: ${message}` }
}
