import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { adminClient, signedIn, type AdminClient } from './admin-client'

// Every admin route declares its input as a TypeBox schema (@psa-link/shared/admin-api): what breaks
// it is refused with one 400 that names the field and says what is wrong, before the route runs.
let stack: TestStack
let client: AdminClient

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

describe('the admin API checks its input against its schemas', () => {
  it('refuses a body field of the wrong type with its label and changes nothing', async () => {
    const before = (await client.get('/account')).body.agentsReadOnly
    const response = await client.put('/account/agents-read-only', { allowed: 'yes please' })
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'invalid_input', fieldErrors: { allowed: 'The setting must be true or false.' } })
    expect((await client.get('/account')).body.agentsReadOnly).toBe(before)
  })

  it('refuses a body field longer than its bound, saying the bound', async () => {
    const response = await client.post('/zendesk/cluster-field', { title: 'x'.repeat(81) })
    expect(response.status).toBe(400)
    expect(response.body.fieldErrors).toEqual({ title: 'Field title is too long (at most 80 characters).' })
  })

  it('refuses a path parameter that is not an id', async () => {
    const response = await client.delete('/alerts/targets/not-a-number')
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'invalid_input', fieldErrors: { id: 'The id is a whole number of at least 1.' } })
  })

  it('refuses a query parameter outside its choices', async () => {
    const response = await client.get('/problems?state=everything')
    expect(response.status).toBe(400)
    expect(response.body.fieldErrors).toEqual({ state: 'Choose one of open, retrying, skipped, resolved or all.' })
  })

  it('names every missing field of a form at once', async () => {
    const response = await client.put('/alerts/smtp', { secure: true })
    expect(response.status).toBe(400)
    expect(response.body.fieldErrors).toEqual({ host: 'Enter host.', port: 'Enter port.', from: 'Enter sender.' })
  })

  it('tells a signed-out caller to sign in, not what its form lacks', async () => {
    const stranger = adminClient(stack.origin)
    const response = await stranger.post('/problems/retry', { ids: 'all of them' })
    expect(response.status).toBe(401)
    expect(response.body.fieldErrors ?? {}).toEqual({})
  })
})
