import { cycle } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'

// An account set up with the setup code has no export position yet. Zendesk refuses an export
// whose start_time is less than a minute old, so a first cycle that starts "now" would be refused,
// and with nothing stored, so would every cycle after it.
let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => stack?.close())

it('reads the export and stores its position when an account has never been synced', async () => {
  expect(stack.sandbox.zendesk.exportLagSeconds()).toBeGreaterThanOrEqual(60)
  await stack.database.pool.query('UPDATE zendesk_accounts SET export_cursor = NULL, export_start_time = NULL WHERE id = $1', [stack.accountId])
  await cycle(stack)
  const { rows } = await stack.database.pool.query<{ export_cursor: string | null }>('SELECT export_cursor FROM zendesk_accounts WHERE id = $1', [
    stack.accountId,
  ])
  expect(rows[0]!.export_cursor).not.toBeNull()
})
