import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { IntegrationError } from '../../../server/src/errors/integration-error'
import { SANDBOX_BEARER } from './zendesk-emulator-server'

// A write Zendesk surely never received (the connection was refused) is told apart from one whose
// answer was lost: only the second may have posted the comment (zendesk-http.ts).

describe('Zendesk client when the connection is refused', () => {
  it('fails a comment write as a network error, not an unknown outcome, when Zendesk refused the connection', async () => {
    // A port nobody listens on: taken, then freed.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise((resolve) => probe.close(resolve))
    const client = createZendeskClient({ baseUrl: `http://127.0.0.1:${port}`, auth: SANDBOX_BEARER, maxRetries: 1, sleep: async () => undefined })
    const error = await client.addComment(1, { body: 'An agent’s reply', public: true }).then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(IntegrationError)
    expect((error as IntegrationError).code).toBe('network')
  })
})
