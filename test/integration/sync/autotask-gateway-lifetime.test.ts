import { DESCRIPTION_CHANGED_HEADER } from '@psa-link/shared'
import { runCycle } from '../../../server/src/sync/run-cycle'
import { cycle, linkOf, syncOne } from '../../helpers/sync-driver'
import { contextWithEditBeforeOwnNotes } from '../../helpers/edit-before-own-notes'
import { agentOf, autotaskNotesOf, openTicket, startScenario, zendeskCommentsOf } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

// Issue 17, fewer requests: the Autotask gateway lives as long as the connection's settings, PSA
// Link's own resource is stored with the connection, and its own writes leave the ticket scan
// without hiding a technician's edit.
let stack: TestStack
let wsdlLoads = 0
beforeAll(async () => {
  stack = await startScenario()
  stack.app.server.on('request', (request: { url?: string }) => {
    if (/atws\.wsdl|\?wsdl$/i.test(request.url ?? '')) wsdlLoads += 1
  })
  await cycle(stack)
})
afterAll(async () => {
  await stack?.close()
})

async function connection() {
  const [found] = await stack.app.tenants.listConnections(stack.accountId)
  return found!
}

async function gatewayNow() {
  return (await stack.app.syncContexts.forAccount(stack.accountId)).connections[0]!.gateway
}

const apiResourceId = () => stack.sandbox.autotask.seeded()!.apiResourceId

it('loads the WSDL once over cycles that advance the watermark, and builds a new gateway when an admin changes the connection', async () => {
  const soap = (await connection()).transport === 'soap'
  const before = await gatewayNow()
  const loadsBefore = wsdlLoads
  stack.sandbox.autotask.resetCounters()
  for (let round = 0; round < 2; round += 1) {
    openTicket(stack, { clusterId: 'CL-1001', subject: `Lifetime ${round}` })
    await cycle(stack)
  }
  const { rows } = await stack.database.pool.query<{ note_watermark: Date | null }>(
    'SELECT note_watermark FROM autotask_connections WHERE zendesk_account_id = $1',
    [stack.accountId],
  )
  expect(rows[0]!.note_watermark).not.toBeNull()
  expect(await gatewayNow()).toBe(before)
  expect(wsdlLoads - loadsBefore).toBe(0)
  expect((stack.sandbox.autotask.counters().byOperation.getZoneInfo ?? 0) + (stack.sandbox.autotask.counters().byOperation.zoneInformation ?? 0)).toBe(0)

  const current = await connection()
  await stack.app.tenants.saveConnectionSettings(current.id, { ...current.settings, publicNotesToZendesk: !current.settings.publicNotesToZendesk })
  expect((await connection()).settingsVersion).toBe(current.settingsVersion + 1)
  openTicket(stack, { clusterId: 'CL-1001', subject: 'After the change' })
  await cycle(stack)
  const after = await gatewayNow()
  expect(after).not.toBe(before)
  // REST has no WSDL: the new gateway is the proof there.
  expect(wsdlLoads - loadsBefore).toBe(soap ? 1 : 0)
  await cycle(stack)
  expect(await gatewayNow()).toBe(after)
  expect(wsdlLoads - loadsBefore).toBe(soap ? 1 : 0)
})

it('stores PSA Link’s own resource with the connection and keeps it across a new gateway', async () => {
  expect((await connection()).ownResourceId).toBe(apiResourceId())
  const before = await gatewayNow()
  await stack.database.pool.query('UPDATE autotask_connections SET settings_version = settings_version + 1 WHERE zendesk_account_id = $1', [stack.accountId])
  expect(await gatewayNow()).not.toBe(before)
  stack.sandbox.autotask.resetCounters()
  expect(await (await gatewayNow()).ownResourceId()).toBe(apiResourceId())
  expect(stack.sandbox.autotask.counters().byOperationAndEntity['query:Resource'] ?? 0).toBe(0)
})

it('recovers a ticket’s very first interrupted note by PSA Link’s stored resource, not by a technician’s look-alike title', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1002', subject: 'First note after a crash' })
  await cycle(stack)
  const link = (await linkOf(stack, ticket.id)) as unknown as { id: number; autotask_ticket_id: number }
  // A fresh gateway that has learned nothing from notes, on a ticket without any note of PSA Link's.
  await stack.database.pool.query('UPDATE autotask_connections SET settings_version = settings_version + 1 WHERE zendesk_account_id = $1', [stack.accountId])
  const comment = stack.sandbox.zendesk.addComment(ticket.id, { body: 'Please check the fans.', public: true, authorId: agentOf(stack).id })
  // The crash: the ledger row was written, the note never was.
  const current = await connection()
  const [pending] = await stack.app.syncStore.insertPendingLedger([
    {
      zendeskAccountId: stack.accountId,
      connectionId: current.id,
      ticketLinkId: link.id,
      origin: 'zendesk',
      zendeskCommentId: comment.id,
      autotaskNoteId: null,
      part: 1,
      naturalKey: `Zendesk #${comment.id}`,
      authorName: agentOf(stack).name,
      isPublic: true,
      preview: 'Please check the fans.',
      sourceCreatedAt: new Date(),
    },
  ])
  const technician = stack.sandbox.autotask.seeded()!.technicianIds[0]!
  const lookAlike = stack.sandbox.autotask.addTechnicianNote(link.autotask_ticket_id, {
    title: `Zendesk #${comment.id}`,
    description: 'Fans replaced.',
    resourceId: technician,
  })

  await syncOne(stack, ticket.id)

  // The pending row matched nothing of PSA Link's, so it was dropped and the note written anew.
  const { rows } = await stack.database.pool.query<{ state: string; autotask_note_id: string | null }>(
    "SELECT state, autotask_note_id FROM comment_links WHERE zendesk_comment_id = $1 AND origin = 'zendesk'",
    [comment.id],
  )
  expect(pending).toBeDefined()
  const notes = await autotaskNotesOf(stack, ticket.id)
  const own = notes.filter((note) => note.fields.CreatorResourceID === apiResourceId() && note.fields.Description === 'Please check the fans.')
  expect(own).toHaveLength(1)
  expect(rows.map((row) => [row.state, Number(row.autotask_note_id)])).toEqual([['done', own[0]!.id]])
  expect(Number(rows[0]!.autotask_note_id)).not.toBe(lookAlike.id)
})

it('posts a technician’s description edit made in the same second as PSA Link’s note on that ticket', async () => {
  const ticket = openTicket(stack, { clusterId: 'CL-1003', subject: 'Description race' })
  await cycle(stack)
  const autotaskId = (await linkOf(stack, ticket.id))!.autotask_ticket_id
  await cycle(stack)
  stack.sandbox.zendesk.addComment(ticket.id, { body: 'Any news?', public: true, authorId: agentOf(stack).id })

  // The technician saves the description after PSA Link read the ticket and just before its note lands.
  const context = await contextWithEditBeforeOwnNotes(stack, autotaskId, { Description: 'Root cause: a failed PSU.' })
  await runCycle(context, { intervalSeconds: 300 })
  // Autotask shows PSA Link's note as the ticket's last activity; the pass worked on the ticket as
  // read before the edit, so only the change scan can bring the edit back.
  expect(stack.sandbox.autotask.getTicket(autotaskId)!.fields.LastActivityResourceID).toBe(apiResourceId())
  await cycle(stack)

  const posted = zendeskCommentsOf(stack, ticket.id).filter((item) => item.body.startsWith(DESCRIPTION_CHANGED_HEADER))
  expect(posted.map((item) => item.body.includes('Root cause: a failed PSU.'))).toEqual([true])
})
