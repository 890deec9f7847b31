import { createServer, type AddressInfo } from 'node:net'
import { cycle } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

// Words an admin can act on: a zone nobody answers at reads "Could not reach Autotask", the audit
// log reads as sentences with before → after, an admin limited to a connection is shown by its
// name, and the home page lists the setup steps with their state and where to do them.

let stack: TestStack
let client: AdminClient
let UNREACHABLE = ''

beforeAll(async () => {
  // A loopback port nothing listens on any more: the connection is refused.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  UNREACHABLE = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  stack = await startTestStack({ admin: { extraAutotaskZonePrefixes: [UNREACHABLE] } })
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

type Connection = {
  id: number
  name: string
  picklists: { priority: { value: number; label: string }[] }
  mappingDefaults: { priority: Record<string, string> }
}

describe('safe changes and the home page', () => {
  it('says Autotask could not be reached, not that it answered, when the zone does not answer', async () => {
    const response = await client.post('/connections', {
      name: 'Nowhere',
      transport: 'rest',
      zoneUrl: `${UNREACHABLE}ATServicesRest/V1.0/`,
      apiUsername: 'api@demo.test',
      secret: 's',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(response.status).toBe(502)
    expect(response.body.message).toMatch(/^Could not reach Autotask( at [\d.:]+)?: the connection was refused\.$/)
    expect(response.body.fieldErrors?.credentials).toBe(response.body.message)
    expect(JSON.stringify(response.body)).not.toMatch(/Autotask answered|ECONNREFUSED/)
  })

  it('tells the mapping editor what each default resolves to and logs the change as a sentence with before and after', async () => {
    await cycle(stack) // loads the connection's picklists
    const [listed] = (await client.get('/connections')).body.connections as { id: number }[]
    const connection = (await client.get(`/connections/${listed!.id}`)).body as unknown as Connection
    expect(connection.mappingDefaults.priority).toMatchObject({ normal: 'Medium', urgent: 'Critical' })
    const high = connection.picklists.priority.find((option) => option.label === 'High')!.value
    expect((await client.put(`/connections/${connection.id}/settings`, { settings: { priority: { urgent: high } } })).status).toBe(200)

    const entries = (await client.get('/audit')).body.entries as {
      action: string
      sentence: string
      changes: { field: string; before: string; after: string }[]
    }[]
    const saved = entries.find((entry) => entry.action === 'mappings_saved')!
    expect(saved.sentence).toMatch(/^admin\d+-\d+@example\.test saved the mappings of Autotask connection “Sandbox Autotask”\.$/)
    expect(saved.changes).toContainEqual({ field: 'priority.urgent', before: '(none)', after: String(high) })
    expect(entries.find((entry) => entry.action === 'sign_in')!.sentence).toMatch(/ signed in\.$/)
  })

  it('lists the setup steps with their state and a link each when the home page is read', async () => {
    await cycle(stack)
    const home = (await client.get('/home')).body as {
      steps: { key: string; done: boolean; href: string }[]
      health: { failingConnections: unknown[]; lastCycle: unknown }
    }
    expect(home.steps.map((step) => step.key)).toEqual(['zendesk', 'clusterField', 'linkFields', 'appSecret', 'webhook', 'autotask', 'mappings', 'firstSync'])
    const state = Object.fromEntries(home.steps.map((step) => [step.key, step.done]))
    expect(state).toMatchObject({ zendesk: true, clusterField: true, autotask: true, mappings: true, firstSync: false })
    for (const step of home.steps) expect(step.href).toMatch(/^#\/[a-z-]+(\/\d+)?$/)
    expect(home.health).toMatchObject({ failingConnections: [], lastCycle: null })
  })
})
