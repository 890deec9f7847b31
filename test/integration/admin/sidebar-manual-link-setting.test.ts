import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { callApi, sidebarToken } from '../api/api-stack'
import { signedIn, type AdminClient } from './admin-client'

// Who may link a ticket by hand from the sidebar was a column only SQL could change; the Zendesk
// settings page now sets it, audited as a sentence, and the sidebar API follows it.
let stack: TestStack
let client: AdminClient

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

type AuditEntry = { action: string; sentence: string; changes: { field: string; before: string; after: string }[] }
const auditOf = async (action: string) => ((await client.get('/audit')).body.entries as AuditEntry[]).filter((entry) => entry.action === action)

describe('the sidebar’s link-by-hand setting in the admin console', () => {
  it('shows the setting, saves a new one, audits it as a sentence and the sidebar API answers it when an admin changes it', async () => {
    expect((await client.get('/zendesk')).body.sidebarManualLink).toBe('admins')
    const saved = await client.put('/zendesk/sidebar-manual-link', { policy: 'agents' })
    expect(saved.status).toBe(200)
    expect((await client.get('/zendesk')).body.sidebarManualLink).toBe('agents')
    const [entry] = await auditOf('sidebar_manual_link_changed')
    expect(entry!.sentence).toMatch(/^admin\d+-\d+@example\.test let every agent link Zendesk tickets to Autotask tickets by hand from the sidebar\.$/)
    expect(entry!.changes).toEqual([{ field: 'sidebarManualLink', before: 'admins', after: 'agents' }])
    // The sidebar reads the setting from the same column.
    const sidebar = await callApi(stack, 'GET', '/api/v1/tickets/1', sidebarToken(1))
    expect(sidebar.body.manualLinkPolicy).toBe('agents')

    expect((await client.put('/zendesk/sidebar-manual-link', { policy: 'off' })).status).toBe(200)
    expect((await auditOf('sidebar_manual_link_changed'))[0]!.sentence).toMatch(
      / let nobody link Zendesk tickets to Autotask tickets by hand from the sidebar\.$/,
    )
  })

  it('refuses a value that is not off, agents or admins and changes nothing when the form is wrong', async () => {
    const before = (await client.get('/zendesk')).body.sidebarManualLink
    const refused = await client.put('/zendesk/sidebar-manual-link', { policy: 'everyone' })
    expect(refused.status).toBe(400)
    expect(refused.body.fieldErrors?.policy).toMatch(/nobody, all agents or Zendesk admins/)
    expect((await client.get('/zendesk')).body.sidebarManualLink).toBe(before)
  })

  it('records nothing when the same setting is saved again', async () => {
    const current = String((await client.get('/zendesk')).body.sidebarManualLink)
    const count = (await auditOf('sidebar_manual_link_changed')).length
    expect((await client.put('/zendesk/sidebar-manual-link', { policy: current })).status).toBe(200)
    expect(await auditOf('sidebar_manual_link_changed')).toHaveLength(count)
  })

  it('refuses an admin limited to one Autotask connection', async () => {
    const connectionId = (
      await stack.database.pool.query<{ id: number }>('SELECT id FROM autotask_connections WHERE zendesk_account_id = $1', [stack.accountId])
    ).rows[0]!.id
    const limited = await signedIn(stack, { connectionId })
    expect((await limited.put('/zendesk/sidebar-manual-link', { policy: 'agents' })).status).toBe(403)
  })
})
