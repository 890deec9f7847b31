import { cycle, linkOf, stateOf } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => {
  await stack?.close()
})

it('links the seeded tickets with a Cluster ID and explains the rest when a first cycle runs', async () => {
  await cycle(stack)
  const first = await linkOf(stack, 1)
  expect(first?.state).toBe('linked')
  expect(stack.sandbox.autotask).toBeDefined()
  expect((await stateOf(stack, 3))?.state).toBe('unrouted')
})
