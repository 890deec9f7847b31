import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { sendForText } from '../../server/src/adapters/http/keep-alive-http'
import { readTextWithinLimit } from '../../server/src/adapters/http/response-size-limit'

/**
 * What one Autotask REST call costs the client, by HTTP client: WHATWG fetch (how the REST client
 * sent until issue 17's last step) and the keep-alive client it sends through now
 * (server/src/adapters/http/keep-alive-http.ts), each reading its answer within the size limit as
 * the REST client does. The server is its own process and waits 20 ms (the flat profile's
 * latency) before answering a small JSON page, so the client's process CPU is the client alone.
 * Sequential calls on one lane, and three lanes at once (Autotask's threads per entity); rounds
 * alternate between the clients so a busy machine hurts both alike.
 * `npx tsx test/bench/http-client-probe.ts` (PROBE_CALLS per lane and round, 150 by default).
 */
const LATENCY_MS = 20
const CALLS = Number(process.env.PROBE_CALLS ?? 150)
const ROUNDS = 3

const serverSource = `
const http = require('node:http')
const body = JSON.stringify({ items: [{ id: 1, title: 'x'.repeat(200) }], pageDetails: { count: 1, nextPageUrl: null } })
const server = http.createServer((request, response) => {
  request.resume()
  request.on('end', () => setTimeout(() => response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body), ${LATENCY_MS}))
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

const headers = { Accept: 'application/json', 'Content-Type': 'application/json', ApiIntegrationCode: 'CODE', UserName: 'api@demo.test', Secret: 'secret' }
const body = JSON.stringify({ filter: [{ op: 'in', field: 'id', value: [1, 2, 3] }] })

type Client = (url: string) => Promise<unknown>

const clients: Record<string, Client> = {
  fetch: async (url) => {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) })
    return JSON.parse(await readTextWithinLimit(response, 'autotask')) as unknown
  },
  'keep-alive client': async (url) => {
    const answer = await sendForText('autotask', { method: 'POST', url, headers, body, timeoutMs: 30_000 })
    return JSON.parse(answer.text) as unknown
  },
}

async function measure(send: Client, url: string, lanes: number): Promise<{ msPerCall: number; cpuMsPerCall: number }> {
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let call = 0; call < CALLS; call += 1) await send(url)
    }),
  )
  const wallMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  return { msPerCall: wallMs / CALLS, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / (CALLS * lanes) }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', serverSource], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [port] = (await once(server.stdout, 'data')) as [Buffer]
  const url = `http://127.0.0.1:${String(port).trim()}/ATServicesRest/V1.0/Tickets/query`
  try {
    for (const send of Object.values(clients)) for (let call = 0; call < 20; call += 1) await send(url)
    const runs = new Map<string, Array<{ msPerCall: number; cpuMsPerCall: number }>>()
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, send] of Object.entries(clients)) {
        for (const lanes of [1, 3]) {
          const key = `${name}, ${lanes} lane${lanes > 1 ? 's' : ''}`
          runs.set(key, [...(runs.get(key) ?? []), await measure(send, url, lanes)])
        }
      }
    }
    console.log(`per call against a server waiting ${LATENCY_MS} ms (median of ${ROUNDS} rounds × ${CALLS} calls a lane)`)
    for (const [key, samples] of runs) {
      const ms = median(samples.map((sample) => sample.msPerCall)).toFixed(2)
      const cpu = median(samples.map((sample) => sample.cpuMsPerCall)).toFixed(2)
      console.log(`  ${key.padEnd(28)} ${ms} ms a call (wall, per lane)   ${cpu} ms client CPU a call`)
    }
  } finally {
    server.kill()
  }
}

await main()
