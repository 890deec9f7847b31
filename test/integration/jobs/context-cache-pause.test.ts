import type { Signals } from '../../../server/src/jobs/signals'
import { createSyncContextFactory } from '../../../server/src/plugins/sync-engine/context-factory'
import { startTestStack, type TestStack } from '../../helpers/test-stack'

// The account context is cached between jobs. A NOTIFY reaches the other instances a moment after
// its commit, so a job starting in that moment must not rely on it: a connection an admin has just
// paused would be synced (sync/README.md R18: a paused connection is written nothing).
let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => stack?.close())

/** A listener that is connected but has not delivered the change yet. */
const signalsNotYetDelivered = {
  listening: () => true,
  on: () => undefined,
  publish: async () => undefined,
  waiter: () => ({ next: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)), close: () => undefined }),
} as unknown as Signals

it('sees a connection paused just now when the change signal has not arrived yet', async () => {
  const { tenants, syncStore: store } = stack.app
  const factory = createSyncContextFactory({
    signals: signalsNotYetDelivered,
    pool: stack.database.pool,
    tenants,
    store,
    budgetShare: 0.5,
    leaseSeconds: 30,
    log: stack.app.log,
  })
  const connectionId = (await tenants.listConnections(stack.accountId))[0]!.id
  const before = await factory.forAccount(stack.accountId)
  expect(before.connections.find((connection) => connection.id === connectionId)?.paused).toBe(false)

  await tenants.setConnectionPaused(connectionId, true)
  try {
    const after = await factory.forAccount(stack.accountId)
    expect(after.connections.find((connection) => connection.id === connectionId)?.paused).toBe(true)
  } finally {
    await tenants.setConnectionPaused(connectionId, false)
  }
})
