import type { ZendeskClient } from '../../../server/src/adapters/zendesk/zendesk-client'
import { USER_NAMES_MAX, createZendeskSyncGateway } from '../../../server/src/adapters/zendesk/zendesk-sync-gateway'

/** A client whose ticket N has one comment by user N; it records which users were read. */
function fakeClient(reads: number[][]) {
  const client = {
    listComments: async (ticketId: number) => [
      {
        id: ticketId,
        authorId: ticketId,
        body: 'x',
        htmlBody: '<p>x</p>',
        plainBody: 'x',
        public: true,
        auditId: null,
        attachments: [],
        createdAt: new Date(0),
      },
    ],
    getUsers: async (ids: number[]) => {
      reads.push(ids)
      return ids.map((id) => ({ id, name: `User ${id}` }))
    },
  }
  return client as unknown as ZendeskClient
}

describe('the Zendesk gateway’s author names', () => {
  it('keeps at most USER_NAMES_MAX names, the least recently used leaving first, when a backfill meets more authors', async () => {
    const reads: number[][] = []
    const gateway = createZendeskSyncGateway({ client: fakeClient(reads), clusterIdFieldId: null })
    await gateway.listComments(1)
    for (let ticket = 2; ticket <= USER_NAMES_MAX + 1; ticket += 1) {
      // Author 1 stays in use; author 2 is met once, early.
      if (ticket % 1000 === 0) await gateway.listComments(1)
      await gateway.listComments(ticket)
    }
    expect(reads).toHaveLength(USER_NAMES_MAX + 1)
    reads.length = 0

    expect((await gateway.listComments(1))[0]!.authorName).toBe('User 1')
    expect(reads).toEqual([])
    expect((await gateway.listComments(2))[0]!.authorName).toBe('User 2')
    expect(reads).toEqual([[2]])
  })
})
