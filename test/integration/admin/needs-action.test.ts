import { openTicket } from '../../helpers/scenario'
import { cycle, linkOf, syncOne } from '../../helpers/sync-driver'
import { startTestStack, type TestStack } from '../../helpers/test-stack'
import { signedIn, type AdminClient } from './admin-client'
import { until } from '../../helpers/until'

// Tickets whose Cluster ID matches nothing in Autotask, or several installed products, wait in the
// "needs action" inbox, one row per Cluster ID; routing it there makes the engine honour the route
// and syncs the waiting tickets through the ticket-sync queue at once (not at the next cycle).

let stack: TestStack
let client: AdminClient

type Group = {
  clusterId: string
  kind: string
  title: string
  ticketCount: number
  since: string
  tickets: { id: number; url: string }[]
  candidates: { connectionName: string; installedProductId: number; autotaskAccountId: number }[]
}

const groups = async () => (await client.get('/needs-action')).body.groups as Group[]
const connectionId = async () => ((await client.get('/connections')).body.connections as { id: number }[])[0]!.id
const linkedTicket = (ticketId: number) =>
  until(
    () => linkOf(stack, ticketId),
    (link) => Boolean(link?.autotask_ticket_id),
    `the link of ticket ${ticketId}`,
  )

beforeAll(async () => {
  stack = await startTestStack()
  client = await signedIn(stack)
})
afterAll(async () => stack?.close())

describe('the needs-action inbox', () => {
  it('groups unrouted and ambiguous tickets by Cluster ID with their count, age and Zendesk links when a cycle cannot route them', async () => {
    const first = openTicket(stack, { subject: 'Lab is down', clusterId: 'CL-9999' })
    const second = openTicket(stack, { subject: 'Lab still down', clusterId: ' cl-9999 ' })
    const shared = openTicket(stack, { subject: 'Shared cluster slow', clusterId: 'CL-1005' })
    await cycle(stack)
    // Each ticket as the engine leaves it, whether or not the export has shown it to the cycle yet.
    for (const ticket of [first, second, shared]) await syncOne(stack, ticket.id)

    const found = await groups()
    const unrouted = found.find((group) => group.clusterId === 'cl-9999')!
    expect(unrouted).toMatchObject({ kind: 'unrouted', ticketCount: 2, title: 'Cluster ID cl-9999 matches nothing in Autotask' })
    expect(unrouted.tickets.map((ticket) => ticket.url)).toEqual(unrouted.tickets.map((ticket) => `${stack.origin}/sandbox/agent?ticket=${ticket.id}`))
    expect(Number.isNaN(Date.parse(unrouted.since))).toBe(false)
    const ambiguous = found.find((group) => group.clusterId === 'cl-1005')!
    expect(ambiguous.kind).toBe('ambiguous')
    expect(ambiguous.tickets.map((ticket) => ticket.id)).toContain(shared.id)
    expect(ambiguous.ticketCount).toBe(ambiguous.tickets.length)
    expect(ambiguous.candidates).toHaveLength(2)
    expect((await client.get('/attention')).body.clusterIdsWaiting).toBe(found.length)
    // The ambiguity is a decision to make here, not a problem retried cycle after cycle.
    expect(((await client.get('/problems?state=all')).body.problems as { code: string }[]).map((problem) => problem.code)).not.toContain('ambiguous_cluster_id')
  })

  it('links the waiting tickets to the chosen Autotask account when an admin routes an unrouted Cluster ID', async () => {
    const [group] = (await groups()).filter((candidate) => candidate.clusterId === 'cl-9999')
    const account = (await groups()).find((candidate) => candidate.clusterId === 'cl-1005')!.candidates[0]!.autotaskAccountId
    const routed = await client.post('/needs-action/routes', { clusterId: 'CL-9999', connectionId: await connectionId(), autotaskAccountId: account })
    expect(routed.status).toBe(200)
    expect(routed.body).toMatchObject({ ticketsQueued: 2, accountName: 'Contoso Pharmaceuticals' })

    // No cycle runs: the queued ticket syncs create the Autotask tickets.
    for (const { id } of group!.tickets) {
      const link = await linkedTicket(id)
      const ticket = stack.sandbox.autotask.getTicket(link!.autotask_ticket_id)
      expect(ticket?.fields).toMatchObject({ AccountID: account })
    }
    // The ticket's state is written just after its link: wait for the sync to finish.
    await until(groups, (found) => !found.some((candidate) => candidate.clusterId === 'cl-9999'), 'cl-9999 to leave the inbox')
    const routes = (await client.get('/needs-action')).body.routes as { clusterId: string; autotaskAccountId: number; installedProductId: number | null }[]
    expect(routes).toEqual([expect.objectContaining({ clusterId: 'cl-9999', autotaskAccountId: account, installedProductId: null })])
  })

  it('links an ambiguous Cluster ID to the installed product the admin picked, and a later ticket with it too, when resolved', async () => {
    const ambiguous = (await groups()).find((candidate) => candidate.clusterId === 'cl-1005')!
    const choice = ambiguous.candidates[1]!
    const routed = await client.post('/needs-action/routes', {
      clusterId: 'cl-1005',
      connectionId: await connectionId(),
      installedProductId: choice.installedProductId,
    })
    expect(routed.status).toBe(200)
    for (const { id } of ambiguous.tickets) {
      const link = await linkedTicket(id)
      expect(stack.sandbox.autotask.getTicket(link!.autotask_ticket_id)?.fields).toMatchObject({
        AccountID: choice.autotaskAccountId,
        InstalledProductID: choice.installedProductId,
      })
    }

    // The engine keeps honouring the route: a new ticket with that Cluster ID links as well.
    const later = openTicket(stack, { subject: 'Shared cluster slow again', clusterId: 'CL-1005' })
    expect((await syncOne(stack, later.id))?.state).toBe('linked')
    const laterLink = await linkOf(stack, later.id)
    expect(stack.sandbox.autotask.getTicket(laterLink!.autotask_ticket_id)?.fields).toMatchObject({ InstalledProductID: choice.installedProductId })

    const actions = ((await client.get('/audit')).body.entries as { action: string; details: Record<string, unknown> }[]).filter(
      (entry) => entry.action === 'cluster_id_routed',
    )
    expect(actions.map((entry) => entry.details.clusterId)).toEqual(['cl-1005', 'cl-9999'])
  })

  it('refuses an Autotask account the connection does not have, with a message next to the field', async () => {
    const response = await client.post('/needs-action/routes', { clusterId: 'CL-7777', connectionId: await connectionId(), autotaskAccountId: 987654 })
    expect(response.status).toBe(400)
    expect(response.body.fieldErrors?.autotaskAccountId).toMatch(/has no Autotask account 987654/)
    expect(
      (await client.post('/needs-action/routes', { clusterId: 'CL-7777', connectionId: 424242, autotaskAccountId: 1 })).body.fieldErrors?.connectionId,
    ).toBeDefined()
    expect((await stack.database.pool.query(`SELECT count(*)::int AS n FROM cluster_route_overrides WHERE cluster_id = 'cl-7777'`)).rows[0]).toEqual({ n: 0 })
  })

  it('refuses routing to an admin limited to one connection when they try', async () => {
    const limited = await signedIn(stack, { connectionId: await connectionId() })
    expect((await limited.get('/needs-action')).status).toBe(403)
    expect((await limited.post('/needs-action/routes', { clusterId: 'CL-8888', connectionId: await connectionId(), autotaskAccountId: 1 })).status).toBe(403)
    expect(
      (await client.post('/needs-action/routes', { clusterId: 'CL-8888', connectionId: await connectionId(), autotaskAccountId: 1 }, { csrf: false })).status,
    ).toBe(403)
    expect((await stack.database.pool.query(`SELECT count(*)::int AS n FROM cluster_route_overrides WHERE cluster_id = 'cl-8888'`)).rows[0]).toEqual({ n: 0 })
  })

  it('neither shows nor routes this account’s Cluster IDs for another account’s admin when they try', async () => {
    const otherAccountId = await stack.app.tenants.createAccount({ subdomain: 'other', baseUrl: 'http://127.0.0.1:9/other', oauthAccessToken: 'x' })
    const other = await signedIn(stack, { accountId: otherAccountId })
    expect((await other.get('/needs-action')).body.groups).toEqual([])
    expect((await other.get('/needs-action')).body.routes).toEqual([])
    // This account's connection, from the other account: refused, nothing stored.
    const response = await other.post('/needs-action/routes', { clusterId: 'CL-6666', connectionId: await connectionId(), autotaskAccountId: 1 })
    expect(response.body.fieldErrors?.connectionId).toBeDefined()
    expect((await other.delete('/needs-action/routes/cl-9999')).status).toBe(404)
    expect((await stack.database.pool.query(`SELECT count(*)::int AS n FROM cluster_route_overrides WHERE cluster_id IN ('cl-6666')`)).rows[0]).toEqual({
      n: 0,
    })
  })

  it('forgets a route an admin removes', async () => {
    expect((await client.delete('/needs-action/routes/cl-9999')).status).toBe(200)
    expect((await client.delete('/needs-action/routes/cl-9999')).status).toBe(404)
    expect(((await client.get('/needs-action')).body.routes as unknown[]).length).toBe(1)
  })
})
