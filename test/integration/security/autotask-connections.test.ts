import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from '../admin/admin-client'
import { startStandInServer, type StandInServer } from './stand-in-server'

const MARKER = 'internal-page-7f3a9c'
const CODE = 'SANDBOX0INTEGRATION0CODE0001'

let stack: TestStack
let client: AdminClient
let standIn: StandInServer
let sandboxId: number
let soapZone: string
let restZone: string

beforeAll(async () => {
  stack = await startTestStack()
  standIn = await startStandInServer(MARKER)
  client = await signedIn(stack)
  sandboxId = ((await client.get('/connections')).body.connections as Array<{ id: number }>)[0]!.id
  soapZone = `${stack.origin}/sandbox/autotask/ATServices/1.6/atws.asmx`
  restZone = `${stack.origin}/sandbox/autotask/ATServicesRest/V1.0/`
})
afterAll(async () => {
  await stack?.close()
  await standIn?.close()
})

const auditEntries = async () => (await client.get('/audit')).body.entries as Array<{ action: string; details: Record<string, unknown> }>
const storedZone = async (id: number) =>
  ((await stack.database.pool.query('SELECT zone_url FROM autotask_connections WHERE id = $1', [id])).rows[0] as { zone_url: string }).zone_url

describe('editing an Autotask connection', () => {
  it('refuses a new zone URL or API user with the stored secret when the secret and integration code are not typed again', async () => {
    const before = await storedZone(sandboxId)
    // Both addresses are acceptable ones: only the missing secret stops the change.
    const newZone = await client.put(`/connections/${sandboxId}`, { name: 'Sandbox Autotask', zoneUrl: restZone, apiUsername: 'api@demo.test' })
    expect(newZone.status).toBe(400)
    expect(newZone.body.fieldErrors).toEqual({ secret: expect.stringMatching(/zone URL changed/), integrationCode: expect.stringMatching(/zone URL changed/) })
    const newUser = await client.put(`/connections/${sandboxId}`, {
      name: 'Sandbox Autotask',
      zoneUrl: before,
      apiUsername: 'api@alt.test',
      secret: 'sandbox-secret',
    })
    expect(newUser.status).toBe(400)
    expect(newUser.body.fieldErrors).toEqual({ integrationCode: expect.stringMatching(/API user changed/) })
    expect(await storedZone(sandboxId)).toBe(before)

    const typedAgain = await client.put(`/connections/${sandboxId}`, {
      name: 'Sandbox Autotask',
      zoneUrl: restZone,
      apiUsername: 'api@demo.test',
      secret: 'sandbox-secret',
      integrationCode: CODE,
    })
    expect(typedAgain.status).toBe(200)
    expect(await storedZone(sandboxId)).toBe(restZone)
    const changed = (await auditEntries()).find((entry) => entry.action === 'connection_zone_changed')
    expect(changed?.details).toMatchObject({ connectionId: sandboxId, from: before, to: restZone })
    // Back as it was, for the other tests.
    expect(
      (
        await client.put(`/connections/${sandboxId}`, {
          name: 'Sandbox Autotask',
          zoneUrl: soapZone,
          apiUsername: 'api@demo.test',
          secret: 'sandbox-secret',
          integrationCode: CODE,
        })
      ).status,
    ).toBe(200)
  })

  it('sends nothing to a zone that is not on Autotask and audits the attempt when an admin points a connection at their own server', async () => {
    const response = await client.put(`/connections/${sandboxId}`, {
      name: 'Sandbox Autotask',
      zoneUrl: `${standIn.origin}/ATServicesRest/V1.0/`,
      apiUsername: 'api@demo.test',
      secret: 'sandbox-secret',
      integrationCode: CODE,
    })
    expect(response.status).toBe(400)
    expect(response.body.fieldErrors?.zoneUrl).toMatch(/https on autotask\.net/)
    expect(JSON.stringify(response.body)).not.toContain(MARKER)
    expect(standIn.requests).toEqual([])
    expect(await storedZone(sandboxId)).toBe(soapZone)
    const refused = (await auditEntries()).find((entry) => entry.action === 'connection_zone_refused')
    expect(refused?.details).toMatchObject({ connectionId: sandboxId, zoneUrl: `${standIn.origin}/ATServicesRest/V1.0/` })
  })

  it('refuses look-alike and downgraded Autotask addresses when adding a connection', async () => {
    const lookAlikes = [
      'http://webservices5.autotask.net/ATServicesRest/V1.0/',
      'https://webservices5.autotask.net:8443/ATServicesRest/V1.0/',
      'https://webservices5.autotask.net.attacker.test/ATServicesRest/V1.0/',
      'https://attacker-autotask.net/ATServicesRest/V1.0/',
      'https://webservices5.autotask.net@attacker.test/ATServicesRest/V1.0/',
      'https://webservices5.autotask.net/ATServicesRest/V1.0/?next=https://attacker.test/',
      `${stack.origin}/sandbox/autotask/../../admin/api/ATServicesRest/V1.0/`,
      `${stack.origin}/sandbox/autotask/%2e%2e/%2e%2e/health/ATServicesRest/V1.0/`,
      `${standIn.origin}/sandbox/autotask/ATServicesRest/V1.0/`,
    ]
    for (const zoneUrl of lookAlikes) {
      const response = await client.post('/connections', {
        name: 'Look-alike',
        transport: 'rest',
        zoneUrl,
        apiUsername: 'api@demo.test',
        secret: 'sandbox-secret',
        integrationCode: CODE,
      })
      expect({ zoneUrl, status: response.status, field: response.body.fieldErrors?.zoneUrl }).toEqual({
        zoneUrl,
        status: 400,
        field: expect.stringMatching(/autotask\.net/),
      })
    }
    expect(standIn.requests).toEqual([])
    // Autotask's own zone passes the check (this machine then cannot reach it: a refusal of another kind).
    const real = await client.post('/connections', {
      name: 'Real zone',
      transport: 'rest',
      zoneUrl: 'https://webservices5.autotask.net/ATServicesRest/V1.0/',
      apiUsername: 'api@demo.test',
      secret: 'x',
      integrationCode: CODE,
    })
    expect(real.status).toBe(422)
    expect(real.body.fieldErrors?.zoneUrl).toBeUndefined()
  })
})

describe('the credential test', () => {
  it("does not contact a saved zone that is not Autotask's, nor show its page, when a connection saved earlier points elsewhere", async () => {
    // As saved before zones were checked: the test of it must not read an internal page back.
    const legacyId = await stack.app.tenants.createConnection({
      zendeskAccountId: stack.accountId,
      name: 'Saved elsewhere',
      transport: 'rest',
      zoneUrl: `${standIn.origin}/ATServicesRest/V1.0/`,
      apiUsername: 'api@demo.test',
      secret: 'stored-secret',
      integrationCode: CODE,
    })
    const tested = await client.post(`/connections/${legacyId}/test`)
    expect(tested.status).toBe(200)
    expect(tested.body.ok).toBe(false)
    expect(tested.body.message).toMatch(/not an Autotask address/)
    expect(JSON.stringify(tested.body)).not.toContain(MARKER)
    const mappings = await client.put(`/connections/${legacyId}/settings`, { settings: {} })
    expect(mappings.status).toBe(400)
    expect(JSON.stringify(mappings.body)).not.toContain(MARKER)
    expect(standIn.requests).toEqual([])
    const refusals = (await auditEntries()).filter((entry) => entry.action === 'connection_zone_refused' && entry.details.connectionId === legacyId)
    expect(refusals).toHaveLength(2)
  })

  it('audits every failed credential test with the zone and user but never the secret when Autotask refuses', async () => {
    const refused = await client.post('/connections', {
      name: 'Wrong secret',
      zoneUrl: soapZone,
      apiUsername: 'api@demo.test',
      secret: 'wrong-secret-4411',
      integrationCode: CODE,
    })
    expect(refused.status).toBe(422)
    const edited = await client.put(`/connections/${sandboxId}`, {
      name: 'Sandbox Autotask',
      zoneUrl: soapZone,
      apiUsername: 'api@demo.test',
      secret: 'wrong-secret-4412',
    })
    expect(edited.status).toBe(422)
    const failures = (await auditEntries()).filter((entry) => entry.action === 'connection_test_failed')
    expect(failures.map((entry) => entry.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ zoneUrl: soapZone, apiUsername: 'api@demo.test' }),
        expect.objectContaining({ connectionId: sandboxId, zoneUrl: soapZone, apiUsername: 'api@demo.test' }),
      ]),
    )
    expect(JSON.stringify(failures)).not.toMatch(/wrong-secret-441/)
  })
})
