import { SANDBOX_CREDENTIALS } from '../../../server/sandbox/src/zendesk'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

let stack: TestStack
let client: AdminClient
let zoneUrl: string

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
  zoneUrl = `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`
})
afterAll(async () => stack?.close())

const connectionCount = async () => ((await stack.database.pool.query('SELECT count(*)::int AS n FROM autotask_connections')).rows[0] as { n: number }).n

describe('Autotask connections in the admin console', () => {
  it('explains every bad field and saves nothing when the add form is wrong', async () => {
    const before = await connectionCount()
    const response = await client.post('/connections', {
      name: '',
      zoneUrl: 'not a url',
      apiUsername: 'nobody',
      secret: '',
      integrationCode: 'bad code!',
      transport: 'ftp',
    })
    expect(response.status).toBe(400)
    expect(Object.keys(response.body.fieldErrors ?? {}).sort()).toEqual(['apiUsername', 'integrationCode', 'name', 'secret', 'transport', 'zoneUrl'])
    expect(await connectionCount()).toBe(before)
  })

  it("shows Autotask's own message and saves nothing when the credentials are refused", async () => {
    const before = await connectionCount()
    const response = await client.post('/connections', {
      name: 'Partner',
      zoneUrl,
      apiUsername: 'api@demo.test',
      secret: 'wrong-secret',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(response.status).toBe(422)
    expect(response.body.fieldErrors?.credentials).toMatch(/^Autotask answered: \S/)
    expect(response.body.message).toContain(String(response.body.fieldErrors?.credentials).replace('Autotask answered: ', ''))
    expect(await connectionCount()).toBe(before)
  })

  it('adds a tested connection with its live picklists, then edits, maps, pauses, resumes and removes it', async () => {
    const sandbox = ((await client.get('/connections')).body.connections as Array<{ id: number }>)[0]!
    expect((await client.delete(`/connections/${sandbox.id}`)).status).toBe(200)

    const added = await client.post('/connections', {
      name: 'Sandbox Autotask',
      zoneUrl,
      apiUsername: 'api@demo.test',
      secret: 'sandbox-secret',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(added.status).toBe(201)
    const connection = added.body as {
      id: number
      status: string
      picklists: { priority: Array<{ value: number; label: string }>; queue: Array<{ value: number; label: string }> }
    }
    expect(connection.status).toBe('ready')
    expect(connection.picklists.priority.map((option) => option.label)).toContain('Critical')
    expect(JSON.stringify(added.body)).not.toContain('sandbox-secret')

    const duplicate = await client.post('/connections', {
      name: 'sandbox autotask',
      zoneUrl,
      apiUsername: 'api@demo.test',
      secret: 'sandbox-secret',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(duplicate.body.fieldErrors?.name).toMatch(/Another connection/)

    const edited = await client.put(`/connections/${connection.id}`, { name: 'Sandbox Autotask (main)', zoneUrl, apiUsername: 'api@demo.test' })
    expect(edited.status).toBe(200)
    expect(edited.body.name).toBe('Sandbox Autotask (main)')
    const badEdit = await client.put(`/connections/${connection.id}`, { name: 'x', zoneUrl, apiUsername: 'api@demo.test', secret: 'wrong' })
    expect(badEdit.status).toBe(422)
    const stored = await stack.app.tenants.listConnections(stack.accountId)
    expect(stored.find((candidate) => candidate.id === connection.id)?.secret).toBe('sandbox-secret')

    const unknownPriority = await client.put(`/connections/${connection.id}/settings`, { settings: { priority: { urgent: 999 }, dueHours: { urgent: 0 } } })
    expect(unknownPriority.status).toBe(400)
    expect(unknownPriority.body.fieldErrors?.['dueHours.urgent']).toMatch(/greater than 0/)
    const badPicklist = await client.put(`/connections/${connection.id}/settings`, { settings: { priority: { urgent: 999 } } })
    expect(badPicklist.status).toBe(400)
    expect(badPicklist.body.fieldErrors?.['priority.urgent']).toMatch(/999 is not a value of this Autotask picklist/)
    const critical = connection.picklists.priority.find((option) => option.label === 'High')!.value
    const queue = connection.picklists.queue[0]!.value
    const saved = await client.put(`/connections/${connection.id}/settings`, {
      settings: { priority: { urgent: critical }, queueId: queue, dueHours: { urgent: 2 }, createForSolved: false },
    })
    expect(saved.status).toBe(200)
    expect((saved.body.settings as { priority: { urgent: number } }).priority.urgent).toBe(critical)

    expect((await client.post(`/connections/${connection.id}/pause`)).body.paused).toBe(true)
    expect((await stack.app.tenants.listConnections(stack.accountId))[0]!.paused).toBe(true)
    expect((await client.post(`/connections/${connection.id}/resume`)).body.paused).toBe(false)
    expect((await client.post(`/connections/${connection.id}/test`)).body.ok).toBe(true)

    expect((await client.delete(`/connections/${connection.id}`)).status).toBe(200)
    expect((await client.get('/connections')).body.connections).toEqual([])
    const { rows } = await stack.database.pool.query('SELECT removed_at FROM autotask_connections WHERE id = $1', [connection.id])
    expect((rows[0] as { removed_at: Date | null }).removed_at).not.toBeNull()

    const actions = ((await client.get('/audit')).body.entries as Array<{ action: string }>).map((entry) => entry.action)
    for (const action of [
      'connection_added',
      'connection_edited',
      'mappings_saved',
      'connection_paused',
      'connection_resumed',
      'connection_tested',
      'connection_removed',
    ])
      expect(actions).toContain(action)
  })
})

describe('a REST connection in the admin console', () => {
  it("tests REST credentials with Autotask's own refusal, then adds the connection with its picklists", async () => {
    const restZone = `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
    const refused = await client.post('/connections', {
      name: 'Partner REST',
      transport: 'rest',
      zoneUrl: restZone,
      apiUsername: 'api@alt.test',
      secret: 'wrong-secret',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(refused.status).toBe(422)
    expect(refused.body.fieldErrors?.credentials).toMatch(/^Autotask answered: \S/)
    const added = await client.post('/connections', {
      name: 'Partner REST',
      transport: 'rest',
      zoneUrl: restZone,
      apiUsername: 'api@alt.test',
      secret: 'sandbox-secret',
      integrationCode: 'SANDBOX0INTEGRATION0CODE0001',
    })
    expect(added.status).toBe(201)
    expect(added.body.transport).toBe('rest')
    expect((added.body.picklists as { queue: unknown[] }).queue.length).toBeGreaterThan(0)
    expect((await client.delete(`/connections/${String(added.body.id)}`)).status).toBe(200)
  })

  it('detects the transport from the zone address when asked to, and says which addresses it knows otherwise', async () => {
    const credentials = { apiUsername: 'api@alt.test', secret: 'sandbox-secret', integrationCode: 'SANDBOX0INTEGRATION0CODE0001' }
    const rest = await client.post('/connections', {
      name: 'Detected REST',
      transport: 'auto',
      zoneUrl: `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`,
      ...credentials,
    })
    expect(rest.status).toBe(201)
    expect(rest.body).toMatchObject({ transport: 'rest', zoneUrl: `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/` })
    const soap = await client.post('/connections', {
      name: 'Detected SOAP',
      zoneUrl: `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`,
      ...credentials,
    })
    expect(soap.body).toMatchObject({ transport: 'soap' })
    const unknown = await client.post('/connections', { name: 'Unknown', transport: 'auto', zoneUrl: `${stack.origin}/sandbox/autotask/`, ...credentials })
    expect(unknown.status).toBe(400)
    expect(unknown.body.fieldErrors?.zoneUrl).toMatch(/ATServicesRest.*atws\.asmx/)
    // An edit without a transport keeps the one the connection has.
    const edited = await client.put(`/connections/${String(rest.body.id)}`, {
      name: 'Detected REST',
      zoneUrl: `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`,
      apiUsername: 'api@alt.test',
    })
    expect(edited.body.transport).toBe('rest')
    for (const added of [rest, soap]) expect((await client.delete(`/connections/${String(added.body.id)}`)).status).toBe(200)
  })
})

describe('the Zendesk side in the admin console', () => {
  it("connects with the account's own OAuth client (client credentials), with Zendesk's refusal next to the secret", async () => {
    const empty = await client.post('/zendesk/oauth/client-credentials', {})
    expect(Object.keys(empty.body.fieldErrors ?? {}).sort()).toEqual(['clientId', 'clientSecret'])
    const refused = await client.post('/zendesk/oauth/client-credentials', { clientId: SANDBOX_CREDENTIALS.oauthClientId, clientSecret: 'not-the-secret' })
    expect(refused.status).toBe(422)
    expect(refused.body.fieldErrors?.clientSecret).toMatch(/^Zendesk answered: \S/)
    const connected = await client.post('/zendesk/oauth/client-credentials', {
      clientId: SANDBOX_CREDENTIALS.oauthClientId,
      clientSecret: SANDBOX_CREDENTIALS.oauthClientSecret,
    })
    expect(connected.status).toBe(200)
    expect((await client.get('/zendesk')).body.auth).toBe('oauth')
    // The stored client keeps working: the engine's own client lists the account's fields with it.
    expect((await client.get('/zendesk/fields')).status).toBe(200)
    const { rows } = await stack.database.pool.query('SELECT oauth_client_id, oauth_refresh_token_enc FROM zendesk_accounts WHERE id = $1', [stack.accountId])
    expect(rows[0]).toEqual({ oauth_client_id: SANDBOX_CREDENTIALS.oauthClientId, oauth_refresh_token_enc: null })
  })

  it('connects with OAuth through the authorization page and stores the tokens when the admin allows it', async () => {
    const start = await client.post('/zendesk/oauth/start')
    const authorizeUrl = new URL(String(start.body.authorizeUrl))
    expect(authorizeUrl.pathname).toBe('/sandbox/zendesk/oauth/authorizations/new')
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256')
    const page = await fetch(authorizeUrl)
    expect(await page.text()).toContain('would like to access your Zendesk account')
    const form = new URLSearchParams({ decision: 'allow' })
    for (const name of ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method'])
      form.set(name, authorizeUrl.searchParams.get(name) ?? '')
    const approved = await fetch(`${stack.origin}/sandbox/zendesk/oauth/authorizations`, { method: 'POST', body: form, redirect: 'manual' })
    const callback = new URL(approved.headers.get('location')!)
    expect(callback.pathname).toBe('/admin/zendesk/oauth/callback')

    const replayedElsewhere = await (await signedIn(stack)).call('GET', `${callback.pathname}${callback.search}`)
    expect(replayedElsewhere.headers.get('location')).toContain('oauth_error=state')

    const done = await client.call('GET', `${callback.pathname}${callback.search}`)
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe('/admin/#/zendesk?connected=1')
    const account = (await stack.app.tenants.getAccount(stack.accountId))!
    expect(account.oauth.clientId).toBe('psa-link-sandbox')
    expect(account.oauth.accessToken).not.toBe('sandbox-oauth-token')
    expect(account.oauth.refreshToken).not.toBeNull()
    expect((await client.get('/zendesk')).body.auth).toBe('oauth')

    const reused = await client.call('GET', `${callback.pathname}${callback.search}`)
    expect(reused.headers.get('location')).toContain('oauth_error=state')
  })

  it('lists text fields, refuses an unknown one and saves a chosen or created Cluster ID field', async () => {
    const fields = (await client.get('/zendesk/fields')).body.fields as Array<{ id: number; title: string }>
    expect(fields.map((field) => field.title)).toContain('Cluster ID')
    const unknown = await client.put('/zendesk/cluster-field', { fieldId: 12345 })
    expect(unknown.body.fieldErrors?.fieldId).toMatch(/no ticket field/)
    const empty = await client.put('/zendesk/cluster-field', {})
    expect(empty.body.fieldErrors?.fieldId).toBeDefined()
    const chosen = fields.find((field) => field.title === 'Cluster ID')!
    expect((await client.put('/zendesk/cluster-field', { fieldId: chosen.id })).body.clusterIdFieldId).toBe(chosen.id)
    const created = await client.post('/zendesk/cluster-field', { title: 'Cluster ID (PSA Link)' })
    expect(created.status).toBe(200)
    expect((await stack.app.tenants.getAccount(stack.accountId))!.clusterIdFieldId).toBe(created.body.clusterIdFieldId)
    expect((await client.post('/zendesk/cluster-field', { title: '' })).body.fieldErrors?.title).toBeDefined()
  })

  it('shows a new app shared secret once and keeps it sealed when generated', async () => {
    const response = await client.post('/zendesk/app-secret')
    const secret = String(response.body.sharedSecret)
    expect(secret.length).toBeGreaterThanOrEqual(40)
    expect((await stack.app.tenants.getAccount(stack.accountId))!.appSharedSecret).toBe(secret)
    const { rows } = await stack.database.pool.query('SELECT app_shared_secret_enc FROM zendesk_accounts WHERE id = $1', [stack.accountId])
    expect(JSON.stringify(rows)).not.toContain(secret)
    expect(JSON.stringify((await client.get('/zendesk')).body)).not.toContain(secret)
  })

  it('registers the webhook and stores its id and sealed signing secret when asked', async () => {
    const response = await client.post('/zendesk/webhook')
    expect(response.status).toBe(200)
    expect(response.body.endpoint).toBe(`${stack.origin}/webhooks/zendesk/${stack.accountId}`)
    const account = (await stack.app.tenants.getAccount(stack.accountId))!
    expect(account.webhookId).toBe(response.body.webhookId)
    expect(account.webhookSecret).toBeTruthy()
  })
})
