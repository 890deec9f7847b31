import { startTestStack, type TestStack } from '../helpers/test-stack'

// `/` is where the README and the start-up banner send a newcomer: it must name what to open.
let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
})
afterAll(async () => stack?.close())

describe('the landing page', () => {
  it('links the preview, the console, the docs, health and metrics when the sandbox is mounted', async () => {
    const response = await fetch(`${stack.origin}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const page = await response.text()
    for (const href of ['/sandbox/agent?ticket=1', '/admin/', '/docs', '/health', '/metrics']) expect(page).toContain(`href="${href}"`)
    // Every link it names answers.
    for (const href of ['/admin/', '/health', '/metrics']) expect([href, (await fetch(`${stack.origin}${href}`)).status]).toEqual([href, 200])
  })
})
