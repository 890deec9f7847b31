import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

// "Route this Cluster ID to…" picks the Autotask account by name: a search bounded in length and
// in results, validated, over the connection's own Autotask, on both transports.
let stack: TestStack
let client: AdminClient
let connectionId = 0
beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
  connectionId = ((await client.get('/needs-action')).body.connections as { id: number }[])[0]!.id
  const database = stack.sandbox.autotask.database()
  for (let index = 1; index <= 25; index += 1)
    database.insert('Account', { AccountName: `Tailspin Branch ${index}`, AccountNumber: `TS-${index}`, Phone: '+1 555 0100', AccountType: 1, Active: true })
  database.insert('Account', { AccountName: 'Tailspin Closed Office', AccountNumber: 'TS-X', Phone: '+1 555 0100', AccountType: 1, Active: false })
})
afterAll(async () => stack?.close())

const search = (q: string, connection: unknown = connectionId) =>
  client.get(`/needs-action/accounts?${new URLSearchParams({ connectionId: String(connection), q })}`)

describe.each(['rest', 'soap'])('account search over %s', (transport) => {
  beforeAll(async () => {
    await stack.database.pool.query('UPDATE autotask_connections SET transport = $2, updated_at = now() WHERE id = $1', [connectionId, transport])
  })

  it('finds active accounts whose name contains the text, whatever its case', async () => {
    const answer = await search('  contoso ')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ accounts: [{ id: expect.any(Number), name: 'Contoso Pharmaceuticals' }], more: false })
  })

  it('answers at most 20 and says there are more, leaving out inactive accounts, when many match', async () => {
    const answer = await search('Tailspin')
    const accounts = answer.body.accounts as { name: string }[]
    expect(accounts).toHaveLength(20)
    expect(answer.body.more).toBe(true)
    expect(accounts.map((account) => account.name)).not.toContain('Tailspin Closed Office')
    expect((await search('Closed Office')).body).toEqual({ accounts: [], more: false })
  })
})

describe('account search input', () => {
  it('refuses a text too short or too long and a connection of no one, naming the field', async () => {
    expect((await search('a')).body.fieldErrors).toMatchObject({ q: expect.stringMatching(/2 to 100 characters/) })
    expect((await search('x'.repeat(101))).body.fieldErrors).toMatchObject({ q: expect.any(String) })
    expect((await search('Contoso', 'abc')).body.fieldErrors).toMatchObject({ connectionId: expect.any(String) })
    const other = await search('Contoso', 999999)
    expect(other.status).toBe(400)
    expect(other.body.fieldErrors).toMatchObject({ connectionId: expect.stringMatching(/this account’s Autotask connections/) })
  })

  it('refuses a caller who is not signed in', async () => {
    const response = await fetch(`${stack.origin}/admin/api/needs-action/accounts?connectionId=${connectionId}&q=Contoso`)
    expect(response.status).toBe(401)
  })
})
