import { addAutotaskNoteAs, autotaskResourceIdByEmail, postZendeskCommentAs, zendeskImpersonationToken } from '../../helpers/acting-for-people'
import { loadZendeskOpenApi } from '../../helpers/zendesk-openapi'
import { startRestEmulator } from '../autotask-rest/rest-harness'
import type { RestHarness } from '../autotask-rest/rest-harness'
import { SANDBOX_BEARER, startZendeskEmulator } from './zendesk-emulator-server'
import type { RunningZendeskEmulator } from './zendesk-emulator-server'

/**
 * Acting for a person as real clients do: Zendesk's X-On-Behalf-Of (OAuth token with the
 * impersonate scope) and Autotask REST's ImpersonationResourceId.
 */
let zendesk: RunningZendeskEmulator
let autotask: RestHarness

beforeAll(async () => {
  zendesk = await startZendeskEmulator()
  autotask = await startRestEmulator()
})
afterAll(async () => {
  await zendesk.close()
  await autotask.close()
})
beforeEach(() => {
  zendesk.emulator.reset()
  zendesk.exchanges.length = 0
})

async function putComment(token: string, ticketId: number, onBehalfOf: string | undefined, body = 'Hello') {
  return fetch(`${zendesk.baseUrl}/api/v2/tickets/${ticketId}.json`, {
    method: 'PUT',
    headers: { authorization: token, 'content-type': 'application/json', ...(onBehalfOf === undefined ? {} : { 'x-on-behalf-of': onBehalfOf }) },
    body: JSON.stringify({ ticket: { comment: { body, public: true } } }),
  })
}

describe('Zendesk X-On-Behalf-Of', () => {
  it('authors the comment as the agent named by email or id when the token has the impersonate scope', async () => {
    const token = `Bearer ${await zendeskImpersonationToken(zendesk.baseUrl)}`
    const [alex, sam] = zendesk.emulator.agents()
    expect((await putComment(token, 1, alex!.email, 'By email')).status).toBe(200)
    expect((await putComment(token, 1, String(sam!.id), 'By id')).status).toBe(200)
    const comments = zendesk.emulator.ticket(1)!.comments
    expect(comments.at(-2)).toMatchObject({ body: 'By email', authorId: alex!.id })
    expect(comments.at(-1)).toMatchObject({ body: 'By id', authorId: sam!.id })
  })

  it('refuses with 403 and changes nothing when the token lacks the impersonate scope or is an API token', async () => {
    const before = zendesk.emulator.ticket(1)!.comments.length
    const agent = zendesk.emulator.agents()[0]!
    const withoutScope = await putComment(`Bearer ${SANDBOX_BEARER.accessToken}`, 1, agent.email)
    expect(withoutScope.status).toBe(403)
    expect(await withoutScope.json()).toMatchObject({ error: 'Forbidden' })
    const apiToken = `Basic ${Buffer.from('admin@demo.test/token:sandbox-token').toString('base64')}`
    expect((await putComment(apiToken, 1, agent.email)).status).toBe(403)
    expect(zendesk.emulator.ticket(1)!.comments).toHaveLength(before)
  })

  it('lets only an admin mint a token with scopes through the OAuth Tokens API', async () => {
    const agentToken = (await zendesk.emulator
      .state()
      .oauth.createToken({ clientResourceId: 360_000_001, scopes: ['read', 'write'], userId: zendesk.emulator.agents()[0]!.id }))!.token
    const response = await fetch(`${zendesk.baseUrl}/api/v2/oauth/tokens.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: { client_id: 360_000_001, scopes: ['impersonate', 'write'] } }),
    })
    expect(response.status).toBe(403)
    await zendeskImpersonationToken(zendesk.baseUrl)
    expect(loadZendeskOpenApi().problemsIn(zendesk.exchanges)).toEqual([])
  })

  it('fails as invalid_token when the person does not exist', async () => {
    const token = `Bearer ${await zendeskImpersonationToken(zendesk.baseUrl)}`
    const response = await putComment(token, 1, 'nobody@nowhere.test')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'invalid_token' })
  })

  it('refuses the Tickets API to a customer and takes the comment through the Requests API as theirs', async () => {
    const token = `Bearer ${await zendeskImpersonationToken(zendesk.baseUrl)}`
    const customer = zendesk.emulator.requester()
    expect((await putComment(token, 1, customer.email)).status).toBe(403)
    const commentId = await postZendeskCommentAs(zendesk.baseUrl, { ticketId: 1, person: customer.email, body: 'Still down here.' })
    expect(zendesk.emulator.ticket(1)!.comments.at(-1)).toMatchObject({ id: commentId, authorId: customer.id, public: true, body: 'Still down here.' })
    expect(loadZendeskOpenApi().problemsIn(zendesk.exchanges)).toEqual([])
  })

  it('lets a customer comment only on their own requests', async () => {
    const stranger = zendesk.emulator.createUser({ name: 'Other Customer', email: 'other@customer.test', role: 'end-user' })
    await expect(postZendeskCommentAs(zendesk.baseUrl, { ticketId: 1, person: stranger.email, body: 'Not mine' })).rejects.toThrow(/answered 404/)
  })
})

async function autotaskTicket(): Promise<number> {
  const rest = autotask.client()
  const [product] = await rest.findConfigurationItemsByReferenceNumbers(['CL-1001'])
  const [created] = await rest.createTickets([
    {
      title: 'Node down',
      description: 'x',
      accountId: product?.accountId ?? 0,
      installedProductId: product?.id ?? null,
      status: 1,
      priority: 2,
      queueId: 8,
      dueDateTime: new Date(Date.now() + 86_400_000),
      source: 4,
      ticketType: 1,
      externalId: 'zd:1:1',
      userDefinedFields: {},
    },
  ])
  if (!created?.ok) throw new Error('the Autotask ticket was not created')
  return created.entity.id
}

describe('Autotask REST ImpersonationResourceId', () => {
  it('makes the technician the creator of the note and keeps the API user as impersonator', async () => {
    const ticket = { id: await autotaskTicket() }
    const technicianId = await autotaskResourceIdByEmail(autotask.restBase, 'tara.nguyen@demo.test')
    const noteId = await addAutotaskNoteAs(autotask.restBase, {
      ticketId: ticket.id,
      resourceId: technicianId,
      title: 'Onsite',
      description: 'Swapped the PSU.',
    })
    const note = autotask.emulator.listNotes(ticket.id).find((candidate) => candidate.id === noteId)
    const apiResourceId = autotask.emulator.database().apiResourceId
    expect(note?.fields).toMatchObject({ CreatorResourceID: technicianId, ImpersonatorCreatorResourceID: apiResourceId })
    expect(autotask.emulator.getTicket(ticket.id)?.fields.LastActivityResourceID).toBe(technicianId)
  })

  it('writes as the API user without the header and refuses an unknown resource', async () => {
    const ticket = { id: await autotaskTicket() }
    const plain = await autotask.raw('POST', `Tickets/${ticket.id}/Notes`, { title: 'Plain', description: 'By the API user', noteType: 1, publish: 1 })
    expect(plain.status).toBe(200)
    const note = autotask.emulator.listNotes(ticket.id).find((candidate) => candidate.id === (plain.body as { itemId: number }).itemId)
    expect(note?.fields.CreatorResourceID).toBe(autotask.emulator.database().apiResourceId)
    await expect(addAutotaskNoteAs(autotask.restBase, { ticketId: ticket.id, resourceId: 4242, title: 'Ghost', description: 'x' })).rejects.toThrow(
      /refused: 500/,
    )
  })
})
