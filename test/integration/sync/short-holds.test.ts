import type { ZendeskGateway } from '../../../server/src/sync/ports/zendesk-gateway'
import { runBackfill } from '../../../server/src/sync/run-backfill'
import { runCycle } from '../../../server/src/sync/run-cycle'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import { memoryBackfillStore, newBackfill } from '../../helpers/memory-backfill-store'
import { syncOne } from '../../helpers/sync-driver'
import type { TestStack } from '../../helpers/test-stack'
import { until } from '../../helpers/until'

let stack: TestStack

beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => stack?.close())

/** The Zendesk gateway of `context` with `listComments` replaced: the slowness a test injects. */
function withComments(context: SyncContext, listComments: ZendeskGateway['listComments']): SyncContext {
  const zendesk = new Proxy(context.zendesk, {
    get: (target, property, receiver) => (property === 'listComments' ? listComments : Reflect.get(target, property, receiver)),
  })
  return { ...context, zendesk }
}

async function leasedTickets(): Promise<number[]> {
  const { rows } = await stack.database.pool.query<{ zendesk_ticket_id: string }>(
    'SELECT zendesk_ticket_id FROM ticket_sync_state WHERE zendesk_account_id = $1 AND lease_owner IS NOT NULL AND lease_expires_at > now() ORDER BY 1',
    [stack.accountId],
  )
  return rows.map((row) => Number(row.zendesk_ticket_id))
}

describe('short holds (issue 18) and the lease heartbeat (issue 17)', () => {
  it('serves a Sync now on a ticket further down a big cycle batch while the cycle works on its first hold when holds are small', async () => {
    const ids = Array.from({ length: 12 }, (_, index) => openTicket(stack, { subject: `Batch ticket ${index}`, clusterId: 'CL-1001' }).id)
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    // The cycle stops inside its first hold, on the first comment read, until the test lets it go.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let blocked = false
    const context = withComments(base, async (ticketId) => {
      if (!blocked) {
        blocked = true
        await gate
      }
      return base.zendesk.listComments(ticketId)
    })
    let cycleDone = false
    const cycle = runCycle(context, { intervalSeconds: 300, holdSize: 4 }).finally(() => (cycleDone = true))

    await until(
      () => blocked,
      (value) => value,
      'the cycle to reach its first comment read',
    )
    const held = await leasedTickets()
    expect(held.length).toBeGreaterThan(0)
    expect(held.length).toBeLessThanOrEqual(4)
    const waiting = ids.filter((id) => !held.includes(id))
    const target = waiting[waiting.length - 1]!

    const outcome = await syncOne(stack, target)
    expect(outcome?.busy).toBeUndefined()
    expect(outcome?.state).toBe('linked')
    // Served while the cycle still sat in its first hold: it never waited for the batch.
    expect(cycleDone).toBe(false)

    release()
    expect(await cycle).toBe('ran')
    for (const id of ids) expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
    expect(await leasedTickets()).toEqual([])
  })

  it('keeps its lease and finishes when a backfill batch takes longer than the lease', async () => {
    const ids = Array.from({ length: 3 }, (_, index) => openTicket(stack, { subject: `Old ticket ${index}`, clusterId: 'CL-1002' }).id)
    const base = await stack.app.syncContexts.forAccount(stack.accountId)
    const leaseSeconds = 2
    let slowed = 0
    // Injected slowness: the batch's first comment read alone outlasts the lease.
    const context = withComments({ ...base, leaseSeconds }, async (ticketId) => {
      if (slowed++ === 0) await new Promise((resolve) => setTimeout(resolve, (leaseSeconds + 1.5) * 1000))
      return base.zendesk.listComments(ticketId)
    })
    const backfill = newBackfill(stack.accountId, new Date(Date.now() - 3_600_000))
    const store = memoryBackfillStore(backfill)

    const result = await runBackfill(context, store, backfill.id, { intervalSeconds: 300 })

    expect(result).toEqual({ state: 'succeeded' })
    expect(slowed).toBeGreaterThan(0)
    expect(backfill.progress.ticketsFailed).toBe(0)
    for (const id of ids) expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
  })
})
