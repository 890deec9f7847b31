import type { Database } from '../../server/src/db/database'
import { migrate } from '../../server/src/db/migrate'
import { insertConnection, insertTicketLink, insertZendeskAccount } from '../helpers/fixtures'
import { createTestDatabase } from '../helpers/test-database'

let database: Database
let accountId: number
let connectionId: number
beforeAll(async () => {
  database = await createTestDatabase()
  await migrate(database.pool)
  accountId = await insertZendeskAccount(database.pool)
  connectionId = await insertConnection(database.pool, accountId)
})
afterAll(async () => {
  await database.close()
})

const UNIQUE_VIOLATION = '23505'

describe('ticket_links and comment_links', () => {
  it('refuses a second link for the same Zendesk ticket', async () => {
    await insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 101, autotaskTicketId: 9001 })
    await expect(
      insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 101, autotaskTicketId: 9002, externalId: 'other' }),
    ).rejects.toMatchObject({ code: UNIQUE_VIOLATION })
  })

  it('refuses a second link for the same Autotask ticket', async () => {
    await insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 102, autotaskTicketId: 9102 })
    await expect(
      insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 103, autotaskTicketId: 9102 }),
    ).rejects.toMatchObject({ code: UNIQUE_VIOLATION })
  })

  it('refuses a second pending create with the same ExternalID', async () => {
    await insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 104, externalId: 'zd:x:104' })
    await expect(
      insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 105, externalId: 'zd:x:104' }),
    ).rejects.toMatchObject({ code: UNIQUE_VIOLATION })
  })

  it('allows the same Zendesk ticket id in another tenant', async () => {
    const otherAccount = await insertZendeskAccount(database.pool)
    const otherConnection = await insertConnection(database.pool, otherAccount)
    await expect(
      insertTicketLink(database.pool, { zendeskAccountId: otherAccount, connectionId: otherConnection, zendeskTicketId: 101, autotaskTicketId: 9001 }),
    ).resolves.toBeGreaterThan(0)
  })

  it('refuses to mirror one Zendesk comment twice or one Autotask note twice', async () => {
    const linkId = await insertTicketLink(database.pool, { zendeskAccountId: accountId, connectionId, zendeskTicketId: 106, autotaskTicketId: 9106 })
    const insertComment = (zendeskCommentId: number | null, autotaskNoteId: number | null, naturalKey: string) =>
      database.pool.query(
        `INSERT INTO comment_links (zendesk_account_id, connection_id, ticket_link_id, origin, zendesk_comment_id, autotask_note_id, natural_key)
         VALUES ($1, $2, $3, 'zendesk', $4, $5, $6)`,
        [accountId, connectionId, linkId, zendeskCommentId, autotaskNoteId, naturalKey],
      )
    await insertComment(5001, null, 'Zendesk #5001')
    await expect(insertComment(5001, null, 'Zendesk #5001 again')).rejects.toMatchObject({ code: UNIQUE_VIOLATION })
    await insertComment(5002, 7001, 'Zendesk #5002')
    await expect(insertComment(5003, 7001, 'Zendesk #5003')).rejects.toMatchObject({ code: UNIQUE_VIOLATION })
  })
})
