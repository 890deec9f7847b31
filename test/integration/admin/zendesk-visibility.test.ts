import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'

// The console's switch and setup step for Zendesk-side visibility (issue 16): on by default, the
// two fields created by PSA Link (found again, never made twice), the checklist following along.
let stack: TestStack
let client: AdminClient
beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

type Visibility = { enabled: boolean; fields: { numberFieldId: number; statusFieldId: number } | null }
type Home = { steps: { key: string; done: boolean; detail: string }[] }
const linkFieldsStep = async () => ((await client.get('/home')).body as unknown as Home).steps.find((step) => step.key === 'linkFields')!
const fieldTitles = () => [...stack.sandbox.zendesk.state().store.ticketFields.values()].map((field) => field.title)

describe('Zendesk-side visibility in the console', () => {
  it('is on by default with its two fields when the sandbox account is set up', async () => {
    const visibility = (await client.get('/zendesk/visibility')).body as unknown as Visibility
    expect(visibility.enabled).toBe(true)
    expect(visibility.fields).toEqual({ numberFieldId: expect.any(Number), statusFieldId: expect.any(Number) })
    expect((await linkFieldsStep()).done).toBe(true)
  })

  it('shows the step undone until the fields are created, and finds existing fields instead of adding twins', async () => {
    const before = ((await client.get('/zendesk/visibility')).body as unknown as Visibility).fields
    await stack.database.pool.query('UPDATE zendesk_accounts SET autotask_number_field_id = NULL, autotask_status_field_id = NULL WHERE id = $1', [
      stack.accountId,
    ])
    expect(await linkFieldsStep()).toMatchObject({ done: false, detail: expect.stringContaining('cannot see which Autotask ticket') })
    const created = await client.post('/zendesk/visibility/fields')
    expect(created.status).toBe(200)
    expect(created.body.fields).toEqual(before)
    expect(fieldTitles().filter((title) => title === 'Autotask ticket number')).toHaveLength(1)
    expect((await linkFieldsStep()).done).toBe(true)
  })

  it('turns off and on, audited as a sentence with before and after, when the admin flips the switch', async () => {
    expect((await client.put('/zendesk/visibility', { enabled: false })).body).toEqual({ enabled: false })
    expect(((await client.get('/zendesk/visibility')).body as unknown as Visibility).enabled).toBe(false)
    expect(await linkFieldsStep()).toMatchObject({ done: true, detail: expect.stringContaining('Turned off') })
    const { rows } = await stack.database.pool.query(
      "SELECT details FROM audit_log WHERE zendesk_account_id = $1 AND action = 'zendesk_visibility_changed' ORDER BY id DESC LIMIT 1",
      [stack.accountId],
    )
    expect(rows[0].details).toEqual({ before: true, after: false })
    await client.put('/zendesk/visibility', { enabled: true })
    expect(((await client.get('/zendesk/visibility')).body as unknown as Visibility).enabled).toBe(true)
  })

  it('refuses the switch without the CSRF token', async () => {
    expect((await client.call('PUT', '/admin/api/zendesk/visibility', { enabled: false }, { csrf: false })).status).toBe(403)
  })
})
