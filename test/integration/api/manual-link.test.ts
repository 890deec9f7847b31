import { cycle, linkOf } from '../../helpers/sync-driver'
import { openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'
import { callApi, sidebarToken } from './api-stack'

// Link by hand from the sidebar: who may (the account's setting, the role asked of Zendesk, never
// the token's claims), the audit trail, and a hand-made link syncing like any other.
let stack: TestStack
beforeAll(async () => {
  stack = await startScenario()
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

interface Answer {
  status: number
  body: Record<string, unknown>
}

async function post(ticketId: number, action: 'link' | 'unlink', body: unknown, claims: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${stack.origin}/api/v1/tickets/${ticketId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sidebarToken(ticketId, { claims })}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const setPolicy = (policy: 'off' | 'admins' | 'agents') =>
  stack.database.pool.query('UPDATE zendesk_accounts SET sidebar_manual_link = $1 WHERE id = $2', [policy, stack.accountId])
async function auditActions(): Promise<{ action: string; details: Record<string, unknown> }[]> {
  const { rows } = await stack.database.pool.query(
    "SELECT action, details FROM audit_log WHERE zendesk_account_id = $1 AND action LIKE 'sidebar.%' ORDER BY id",
    [stack.accountId],
  )
  return rows as { action: string; details: Record<string, unknown> }[]
}

async function linkedPair() {
  const first = openTicket(stack, { clusterId: 'CL-1001', subject: 'Hand link A' })
  const second = openTicket(stack, { clusterId: 'CL-1001', subject: 'Hand link B' })
  await cycle(stack)
  return { first, second, firstLink: (await linkOf(stack, first.id))!, secondLink: (await linkOf(stack, second.id))! }
}

describe('POST /api/v1/tickets/:id/link and /unlink', () => {
  it('refuses to link when the account turned linking by hand off', async () => {
    await setPolicy('off')
    const { second, firstLink } = await linkedPair()
    const before = (await auditActions()).length
    const answer = await post(
      second.id,
      'link',
      { autotaskTicketNumber: firstLink.autotask_ticket_number },
      { user_id: stack.sandbox.zendesk.integrationUserId },
    )
    expect(answer).toMatchObject({ status: 403, body: { code: 'manual_link_off' } })
    expect((await auditActions()).length).toBe(before)
  })

  it('refuses an agent whose token claims the admin role when only admins may link', async () => {
    await setPolicy('admins')
    const { first } = await linkedPair()
    const agent = stack.sandbox.zendesk.agents()[0]!
    // The attack: browser code can write any claim; the role is asked of Zendesk instead.
    const answer = await post(first.id, 'unlink', {}, { user_id: agent.id, role: 'admin', user_role: 'admin' })
    expect(answer).toMatchObject({ status: 403, body: { code: 'manual_link_forbidden' } })
    expect((await linkOf(stack, first.id))!.state).toBe('linked')
  })

  it('lets a Zendesk admin mend a broken ticket: unlink the other, link this one, both audited, and syncs it like any other', async () => {
    await setPolicy('admins')
    const admin = stack.sandbox.zendesk.createUser({ name: 'Ada Admin', email: 'ada.admin@demo.test', role: 'admin' })
    const { first, second, firstLink, secondLink } = await linkedPair()
    stack.sandbox.autotask.deleteTicket(secondLink.autotask_ticket_id)
    await callApi(stack, 'POST', `/api/v1/tickets/${second.id}/sync`, sidebarToken(second.id))
    expect((await callApi(stack, 'GET', `/api/v1/tickets/${second.id}`, sidebarToken(second.id))).body.state).toBe('broken')

    const taken = await post(second.id, 'link', { autotaskTicketNumber: firstLink.autotask_ticket_number }, { user_id: admin.id })
    expect(taken).toMatchObject({ status: 409, body: { code: 'autotask_ticket_taken' } })
    const missing = await post(second.id, 'link', { autotaskTicketNumber: 'T20990101.9999' }, { user_id: admin.id })
    expect(missing).toMatchObject({ status: 404, body: { code: 'autotask_ticket_not_found' } })

    const unlinked = await post(first.id, 'unlink', {}, { user_id: admin.id })
    expect(unlinked).toMatchObject({ status: 200, body: { state: 'closed', reason: 'unlinked' } })
    const linked = await post(second.id, 'link', { autotaskTicketNumber: firstLink.autotask_ticket_number }, { user_id: admin.id })
    expect(linked).toMatchObject({ status: 200, body: { state: 'linked', autotask: { ticketNumber: firstLink.autotask_ticket_number } } })

    const audit = await auditActions()
    expect(audit.slice(-2)).toEqual([
      {
        action: 'sidebar.ticket_unlinked',
        details: expect.objectContaining({
          zendeskTicketId: first.id,
          autotaskTicketNumber: firstLink.autotask_ticket_number,
          claimedZendeskUserId: admin.id,
          policy: 'admins',
        }),
      },
      {
        action: 'sidebar.ticket_linked',
        details: expect.objectContaining({
          zendeskTicketId: second.id,
          autotaskTicketNumber: firstLink.autotask_ticket_number,
          releasedFromZendeskTickets: [first.id],
          replaced: expect.objectContaining({ state: 'broken' }),
        }),
      },
    ])

    // From here on the link is like any other: a technician's note reaches the Zendesk ticket.
    stack.sandbox.autotask.addTechnicianNote(firstLink.autotask_ticket_id, { description: 'Board swapped after the relink.', publish: 1 })
    await callApi(stack, 'POST', `/api/v1/tickets/${second.id}/sync`, sidebarToken(second.id))
    expect(stack.sandbox.zendesk.ticket(second.id)!.comments.some((comment) => comment.body.includes('Board swapped after the relink.'))).toBe(true)
    expect(stack.sandbox.zendesk.ticket(first.id)!.comments.some((comment) => comment.body.includes('Board swapped after the relink.'))).toBe(false)
  })

  it('lets any agent link when the account allows all agents', async () => {
    await setPolicy('agents')
    const { first, firstLink } = await linkedPair()
    const agent = stack.sandbox.zendesk.agents()[0]!
    expect((await post(first.id, 'unlink', {}, { user_id: agent.id })).status).toBe(200)
    const answer = await post(3, 'link', { autotaskTicketNumber: firstLink.autotask_ticket_number }, { user_id: agent.id })
    expect(answer).toMatchObject({ status: 200, body: { state: 'linked' } })
    expect((await auditActions()).at(-1)).toMatchObject({
      action: 'sidebar.ticket_linked',
      details: { zendeskTicketId: 3, claimedZendeskUserId: agent.id, policy: 'agents' },
    })
  })

  it('refuses a token issued for another ticket than the one it would unlink', async () => {
    await setPolicy('agents')
    const { first } = await linkedPair()
    const response = await fetch(`${stack.origin}/api/v1/tickets/${first.id}/unlink`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sidebarToken(1, { claims: { user_id: 1 } })}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(403)
    expect((await linkOf(stack, first.id))!.state).toBe('linked')
  })

  it('answers 400 when the Autotask ticket number is not one', async () => {
    await setPolicy('agents')
    const answer = await post(5, 'link', { autotaskTicketNumber: "T1' OR 1=1" }, { user_id: 1 })
    expect(answer.status).toBe(400)
  })
})
