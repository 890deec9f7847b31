import { IntegrationError } from '../../../server/src/errors/integration-error'
import type { AutotaskGateway } from '../../../server/src/sync/ports/autotask-gateway'
import { runCycle } from '../../../server/src/sync/run-cycle'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

let stack: TestStack
const HOUR = 3_600_000

beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => stack?.close())

type Scan = { entity: 'tickets' | 'notes'; since: Date; until: Date | undefined }

/** The context with its connection's scans recorded, and the tickets scan failing on the `failOnTicketScan`-th call. */
function recordingScans(context: SyncContext, scans: Scan[], failOnTicketScan?: number): SyncContext {
  let ticketScans = 0
  return {
    ...context,
    connections: context.connections.map((connection) => {
      const gateway = new Proxy(connection.gateway, {
        get(target, property, receiver) {
          if (property === 'scanNotesChangedSince') {
            return (since: Date, until?: Date) => {
              scans.push({ entity: 'notes', since, until })
              return target.scanNotesChangedSince(since, until)
            }
          }
          if (property === 'scanTicketsChangedSince') {
            return (since: Date, until?: Date): AsyncIterable<Awaited<ReturnType<AutotaskGateway['getTickets']>>> => {
              scans.push({ entity: 'tickets', since, until })
              ticketScans += 1
              if (ticketScans === failOnTicketScan) {
                return (async function* () {
                  yield* []
                  throw new IntegrationError({ system: 'autotask', code: 'unavailable', retryable: true, remoteMessage: 'Service Unavailable' })
                })()
              }
              return target.scanTicketsChangedSince(since, until)
            }
          }
          return Reflect.get(target, property, receiver)
        },
      })
      return { ...connection, gateway }
    }),
  }
}

describe('Autotask change scans in time slices (issue 17)', () => {
  it('scans a connection far behind in slices and advances the watermark only past finished slices when a later slice fails', async () => {
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    const connectionId = base.connections[0]!.id
    const behind = new Date(Date.now() - 20 * HOUR)
    await stack.app.syncStore.advanceNoteWatermark(connectionId, behind)

    // The second slice's ticket scan fails: the first slice is done, the rest must be read again.
    const failing: Scan[] = []
    await runCycle(recordingScans(base, failing, 2), { intervalSeconds: 300, sliceSeconds: 6 * 3600, overlapSeconds: 600 })
    expect(failing.filter((scan) => scan.entity === 'tickets')).toHaveLength(2)
    // The first slice: its tickets' first page is read before its notes (see run-cycle's scanSlice).
    const firstSlice = { since: behind, until: new Date(behind.getTime() + 6 * HOUR) }
    expect(failing.slice(0, 2)).toEqual([
      { entity: 'tickets', ...firstSlice },
      { entity: 'notes', ...firstSlice },
    ])
    const afterFailure = await stack.app.syncStore.getNoteWatermark(connectionId)
    // The end of the first slice, less the overlap: never past what was read.
    expect(afterFailure).toEqual(new Date(behind.getTime() + 6 * HOUR - 600_000))

    const scans: Scan[] = []
    const context = await stack.app.syncContexts.forAccount(stack.accountId)
    const started = Date.now()
    await runCycle(recordingScans(context, scans), { intervalSeconds: 300, sliceSeconds: 6 * 3600, overlapSeconds: 600 })
    const ticketScans = scans.filter((scan) => scan.entity === 'tickets')
    // From 14 h 10 min behind: two bounded slices of six hours, then the open-ended rest.
    expect(ticketScans.map((scan) => scan.until === undefined)).toEqual([false, false, true])
    expect(ticketScans[0]!.since).toEqual(afterFailure)
    for (let index = 1; index < ticketScans.length; index += 1) expect(ticketScans[index]!.since).toEqual(ticketScans[index - 1]!.until)
    const watermark = (await stack.app.syncStore.getNoteWatermark(connectionId))!
    expect(watermark.getTime()).toBeGreaterThanOrEqual(started - 600_000)
    expect(watermark.getTime()).toBeLessThanOrEqual(Date.now() - 600_000)
  })

  it("advances the watermark to the scan start less the overlap the connection's gateway reports when the cycle is given none", async () => {
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    const asked: Date[] = []
    const context: SyncContext = {
      ...base,
      connections: base.connections.map((connection) => ({
        ...connection,
        gateway: new Proxy(connection.gateway, {
          get(target, property, receiver) {
            if (property !== 'scanOverlapSeconds') return Reflect.get(target, property, receiver)
            return (at: Date) => {
              asked.push(at)
              return 1234
            }
          },
        }),
      })),
    }
    await runCycle(context, { intervalSeconds: 300 })
    expect(asked).toHaveLength(1)
    expect(await stack.app.syncStore.getNoteWatermark(base.connections[0]!.id)).toEqual(new Date(asked[0]!.getTime() - 1234_000))
  })
})
