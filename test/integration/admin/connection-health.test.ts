import { openTicket } from '../../helpers/scenario'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

// An Autotask that refuses every request must not look like "succeeded, 0 failed" and a green
// "ready" connection: the cycle says degraded with Autotask's words, the third such cycle in a row
// makes the connection failing (the console's banner, /health), and one good cycle clears it.

let stack: TestStack
let client: AdminClient

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

type Run = { id: number; status: string; error: string | null }

/** Asks for a cycle through the queue, as the schedule does, and waits for its finished run. */
async function scheduledCycle(): Promise<Run> {
  const { rows: before } = await stack.database.pool.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM sync_runs WHERE kind = 'cycle'`)
  await stack.app.cycleScheduler.requestNow()
  const deadline = Date.now() + 45_000
  for (;;) {
    const { rows } = await stack.database.pool.query<Run>(
      `SELECT id, status, error FROM sync_runs WHERE kind = 'cycle' AND id > $1 AND status <> 'running' ORDER BY id LIMIT 1`,
      [before[0]!.id],
    )
    if (rows[0]) return rows[0]
    if (Date.now() > deadline) throw new Error('no cycle finished')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const attention = async () =>
  (await client.get('/attention')).body as { failingConnections: { name: string; failedCycles: number; lastError: string | null }[]; openProblems: number }
const health = async () => (await (await fetch(`${stack.origin}/health`)).json()) as { status: string; problems?: string[] }
const connectionStatus = async () =>
  (await stack.database.pool.query<{ status: string; status_message: string | null }>('SELECT status, status_message FROM autotask_connections')).rows[0]!

describe('connection health', () => {
  it('records degraded cycles, turns the connection failing on the third, and clears it when Autotask answers again', async () => {
    openTicket(stack, { subject: 'Scanner jams', clusterId: 'CL-1001' })
    expect((await scheduledCycle()).status).toBe('succeeded')
    expect(await connectionStatus()).toMatchObject({ status: 'ready' })

    stack.sandbox.autotask.setFaults({ outage: true })
    try {
      for (const cycleNumber of [1, 2]) {
        const run = await scheduledCycle()
        expect([cycleNumber, run.status]).toEqual([cycleNumber, 'degraded'])
        expect(run.error).toMatch(/^Sandbox Autotask: .+/)
        // Two bad cycles are a blip, not yet an outage.
        expect((await attention()).failingConnections).toEqual([])
        expect((await health()).status).toBe('ok')
      }
      expect((await scheduledCycle()).status).toBe('degraded')
      const { failingConnections } = await attention()
      expect(failingConnections).toHaveLength(1)
      expect(failingConnections[0]).toMatchObject({ name: 'Sandbox Autotask', failedCycles: 3 })
      expect(failingConnections[0]!.lastError).toBeTruthy()
      expect(await connectionStatus()).toMatchObject({ status: 'failing', status_message: failingConnections[0]!.lastError })
      const degraded = await health()
      expect(degraded.status).toBe('degraded')
      expect(degraded.problems?.[0]).toMatch(/^1 Autotask connection\(s\) failing since /)
    } finally {
      stack.sandbox.autotask.resetFaults()
    }

    expect((await scheduledCycle()).status).toBe('succeeded')
    expect((await attention()).failingConnections).toEqual([])
    expect((await health()).status).toBe('ok')
    expect(await connectionStatus()).toMatchObject({ status: 'ready', status_message: null })
  })
})
