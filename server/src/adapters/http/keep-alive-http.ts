import http from 'node:http'
import https from 'node:https'
import type { IntegrationSystem } from '../../errors/integration-error'
import { MAX_RESPONSE_BYTES, readStreamWithinLimit } from './response-size-limit'

/**
 * A lean HTTP/1.1 client for API calls that answer with text (JSON): node:http on keep-alive
 * agents of our own (one pool per origin for the whole process, as fetch's global dispatcher is).
 * WHATWG fetch spends about twice the client CPU per call on its Request/Response/Headers objects
 * and web streams (test/bench/http-client-probe.ts measures both against a server that waits
 * 20 ms), which a backfill of thousands of back-to-back Autotask REST calls pays in wall time.
 *
 * Why node:http and not undici's `request`, which measured the same: the server would need undici
 * 6 (7 needs Node 20.18.1; package.json promises ^20.12), and the workspace root already holds
 * jsdom's undici 7, so the server's copy would live under server/node_modules, where dist/server
 * does not look; bundling it would add a second HTTP stack (~800 kB) next to the one Node ships.
 *
 * Idle connections close after 4 s, or 1 s before the server's own Keep-Alive hint when that is
 * sooner (Node's agent reads it), so a call rarely meets a connection the server is closing; idle
 * sockets hold no process open. Redirects are not followed: Autotask answers its API calls
 * directly, and following one would carry the API user's secret to wherever it points.
 */
const IDLE_CONNECTION_MS = 4_000
let agents: { http: http.Agent; https: https.Agent } | undefined

function agentFor(protocol: string): http.Agent {
  agents ??= {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_CONNECTION_MS }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_CONNECTION_MS }),
  }
  if (protocol === 'https:') return agents.https
  if (protocol === 'http:') return agents.http
  throw new TypeError(`cannot send to a ${protocol} URL: only http and https are spoken`)
}

export interface TextRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  /** The whole exchange, answer read included; past it the call fails with a TimeoutError. */
  timeoutMs: number
}

export interface TextAnswer {
  status: number
  /** A response header by its name (any case); the first value of a repeated one. */
  header(name: string): string | undefined
  text: string
}

/** What a call that outlived its time fails with (errorFromFetchFailure in rest-errors.ts knows the name). */
function timeoutError(timeoutMs: number): Error {
  const error = new Error(`no complete answer within ${timeoutMs} ms`)
  error.name = 'TimeoutError'
  return error
}

/**
 * Sends one request and reads its answer as UTF-8 text within the response-size limit. Every
 * status is an answer. Throws the network's error (with its code: ECONNREFUSED, ECONNRESET…), an
 * error named TimeoutError when `timeoutMs` passed (also while the body was arriving), or the
 * size-limit IntegrationError. The timeout is a plain timer, not an AbortSignal: a signal per call
 * (an EventTarget made transferable, with abort listeners on the request and its socket) took about
 * 0.1 ms of CPU a call in a REST backfill's CPU profile.
 */
export function sendForText(system: IntegrationSystem, call: TextRequest, limitBytes: number = MAX_RESPONSE_BYTES): Promise<TextAnswer> {
  const url = new URL(call.url)
  const transport = url.protocol === 'https:' ? https : http
  return new Promise<TextAnswer>((resolve, reject) => {
    const headers = call.body === undefined ? call.headers : { ...call.headers, 'Content-Length': String(Buffer.byteLength(call.body)) }
    const request = transport.request(url, { method: call.method, headers, agent: agentFor(url.protocol) }, (response) => {
      const header = (name: string): string | undefined => {
        const value = response.headers[name.toLowerCase()]
        return Array.isArray(value) ? value[0] : value
      }
      const declared = Number(header('content-length') ?? Number.NaN)
      readStreamWithinLimit(response, declared, system, limitBytes).then(
        (text) => {
          clearTimeout(timer)
          resolve({ status: response.statusCode ?? 0, header, text })
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
    // Destroyed with the timeout's error, the request fails with it here, even when the body was
    // arriving (the body's own "aborted" comes after, and a settled promise ignores it).
    const timer = setTimeout(() => request.destroy(timeoutError(call.timeoutMs)), call.timeoutMs)
    request.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    request.end(call.body)
  })
}
