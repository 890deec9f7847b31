import { startTestStack, type TestStack } from '../../helpers/test-stack'

const directivesOf = (policy: string | null) =>
  new Map(
    (policy ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  )

describe('admin console headers', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack()
  })
  afterAll(async () => stack?.close())

  it('forbids framing and scripts from anywhere but the console itself on every /admin response', async () => {
    for (const path of ['/admin/', '/admin/api/session', '/admin/zendesk/oauth/callback?state=x&code=y']) {
      const response = await fetch(`${stack.origin}${path}`, { redirect: 'manual' })
      const csp = directivesOf(response.headers.get('content-security-policy'))
      expect({ path, scriptSrc: csp.get('script-src'), frameAncestors: csp.get('frame-ancestors'), objectSrc: csp.get('object-src') }).toEqual({
        path,
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      })
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      // Served over http here: no HSTS (it would be ignored, and wrong for a plain-http install).
      expect(response.headers.get('strict-transport-security')).toBeNull()
    }
  })

  it('serves a console page whose scripts all come from files when the CSP forbids inline ones', async () => {
    const page = await (await fetch(`${stack.origin}/admin/`)).text()
    const scripts = page.match(/<script\b[^>]*>/gi) ?? []
    expect(scripts.filter((tag) => !/\ssrc=/.test(tag))).toEqual([])
  })

  it("leaves the sidebar app's API, the sandbox's agent preview and /health without the console's framing ban", async () => {
    for (const path of ['/sandbox/agent?ticket=1', '/api/v1/tickets/1', '/health']) {
      const response = await fetch(`${stack.origin}${path}`)
      expect({ path, frameOptions: response.headers.get('x-frame-options'), csp: response.headers.get('content-security-policy') ?? '' }).toEqual({
        path,
        frameOptions: null,
        csp: expect.not.stringContaining("frame-ancestors 'none'"),
      })
    }
  })
})

describe('admin console headers behind https', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({ env: { PUBLIC_URL: 'https://psa-link.example.test' } })
  })
  afterAll(async () => stack?.close())

  it('asks browsers to keep to https for a year when the public address is https', async () => {
    const response = await fetch(`${stack.origin}/admin/`)
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=31536000\b/)
  })
})
