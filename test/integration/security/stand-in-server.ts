import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StandInServer {
  /** http://127.0.0.1:PORT */
  origin: string
  /** Every request it received, with its headers (where leaked credentials would show). */
  requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>
  close(): Promise<void>
}

/**
 * A server that is not Autotask, on loopback: what an attacker would point a zone URL at (to
 * collect the credentials sent to it), or an internal service whose page must not be read back
 * through the credential test. Every answer carries `marker` in an Autotask-like error body.
 */
export async function startStandInServer(marker: string): Promise<StandInServer> {
  const requests: StandInServer['requests'] = []
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers })
    request.resume()
    response.writeHead(500, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ errors: [marker] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
