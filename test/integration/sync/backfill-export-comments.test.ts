import { createStagedCommentsRepository } from '../../../server/src/db/repositories/staged-comments-repository'
import { stageExportComments } from '../../../server/src/sync/export-comments'
import type { CommentEventsPage, ZendeskGateway } from '../../../server/src/sync/ports/zendesk-gateway'
import { runBackfill } from '../../../server/src/sync/run-backfill'
import type { SyncContext } from '../../../server/src/sync/sync-context'
import { memoryBackfillStore, newBackfill } from '../../helpers/memory-backfill-store'
import { agentOf, autotaskNotesOf, autotaskTicketsFor, openTicket, startScenario } from '../../helpers/scenario'
import type { TestStack } from '../../helpers/test-stack'

let stack: TestStack

beforeAll(async () => {
  stack = await startScenario()
})
afterAll(async () => stack?.close())

const TICKETS = 30
const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/** The context's Zendesk gateway with some methods replaced (the others pass through). */
function withZendesk(context: SyncContext, replaced: Partial<ZendeskGateway>): SyncContext {
  const zendesk = new Proxy(context.zendesk, {
    get: (target, property, receiver) => (property in replaced ? replaced[property as keyof ZendeskGateway] : Reflect.get(target, property, receiver)),
  })
  return { ...context, zendesk }
}

async function stagedRows(backfillId: number): Promise<Array<{ comment_id: string }>> {
  const { rows } = await stack.database.pool.query<{ comment_id: string }>(
    'SELECT comment_id FROM staged_zendesk_comments WHERE zendesk_account_id = $1 AND backfill_id = $2',
    [stack.accountId, backfillId],
  )
  return rows
}

describe('a backfill takes comments from the ticket-events export', () => {
  it('mirrors every comment once from the staged export, across a page boundary in one second and a crash before mirroring', async () => {
    const zendesk = stack.sandbox.zendesk
    const agent = agentOf(stack)
    const startAt = new Date(Date.now() - 2 * 3_600_000)
    // A ticket created before the backfill's start and commented after it: its description is not in the staged window.
    zendesk.setNow(new Date(startAt.getTime() - 3_600_000))
    const older = openTicket(stack, { subject: 'Older ticket', clusterId: 'CL-1002' }).id
    // Ten tickets a second, each with two comments a few ms later: export pages meet shared seconds.
    const ids: number[] = []
    const base = startAt.getTime() + 60_000
    for (let index = 0; index < TICKETS; index++) {
      zendesk.setNow(new Date(base + index * 100))
      const id = openTicket(stack, { subject: `Export ticket ${index}`, clusterId: 'CL-1002' }).id
      zendesk.setNow(new Date(base + index * 100 + 1))
      zendesk.addComment(id, { body: `Agent reply ${index}`, public: true, authorId: agent.id })
      zendesk.setNow(new Date(base + index * 100 + 2))
      zendesk.addComment(id, { body: `Customer answer ${index}`, public: true, authorId: zendesk.requester().id })
      ids.push(id)
    }
    zendesk.setNow(new Date(base + TICKETS * 100 + 10))
    // PSA Link's own comment (as the integration user) is never mirrored back.
    zendesk.addComment(ids[0]!, { body: 'Written by PSA Link', public: false, authorId: zendesk.integrationUserId })
    zendesk.addComment(older, { body: 'Recent comment on an older ticket', public: true, authorId: agent.id })
    // Outside the backfill: no Cluster ID, and deleted.
    const unrouted = openTicket(stack, { subject: 'No cluster', clusterId: null }).id
    const deleted = openTicket(stack, { subject: 'Deleted', clusterId: 'CL-1002' }).id
    zendesk.deleteTicket(deleted)
    zendesk.setNow(null)

    const base0 = await stack.app.syncContexts.forAccount(stack.accountId)
    const staging = createStagedCommentsRepository(stack.database.pool)
    const backfill = newBackfill(stack.accountId, startAt)
    backfill.id = 101

    // The first page is cut inside a second, as a page boundary can fall: the next page starts at that
    // second again and brings its comments a second time.
    let pages = 0
    const boundary = withZendesk(base0, {
      readCommentEvents: async (startTime): Promise<CommentEventsPage> => {
        const page = await base0.zendesk.readCommentEvents!(startTime)
        if (pages++ > 0) return page
        const cut = seconds(page.comments[Math.floor(page.comments.length / 2)]!.comment.createdAt)
        return { comments: page.comments.filter(({ comment }) => seconds(comment.createdAt) <= cut), endTime: cut, endOfStream: false }
      },
    })
    // A run stages the export and dies before mirroring anything.
    await stageExportComments(boundary, staging, backfill.id, seconds(startAt))
    expect(pages).toBe(2)
    const staged = await stagedRows(backfill.id)
    expect(new Set(staged.map((row) => row.comment_id)).size).toBe(staged.length)
    expect(staged.length).toBeGreaterThanOrEqual(TICKETS * 3)

    // Meanwhile a customer comments on a staged ticket: its comments are read on their own.
    zendesk.addComment(ids[5]!, { body: 'Added after staging', public: true, authorId: zendesk.requester().id })

    const read: number[] = []
    let exportReads = 0
    const context = withZendesk(base0, {
      listComments: async (ticketId) => {
        read.push(ticketId)
        return base0.zendesk.listComments(ticketId)
      },
      readCommentEvents: async (startTime) => {
        exportReads += 1
        return base0.zendesk.readCommentEvents!(startTime)
      },
    })
    const result = await runBackfill(context, memoryBackfillStore(backfill), backfill.id, { intervalSeconds: 300, commentStaging: staging })

    expect(result).toEqual({ state: 'succeeded' })
    // The resumed run used what was staged: no export page again, and comment reads only where staging is not complete.
    expect(exportReads).toBe(0)
    expect(read.filter((id) => ids.includes(id))).toEqual([ids[5]])
    expect(read).toContain(older)
    for (const [index, id] of ids.entries()) {
      expect(autotaskTicketsFor(stack, id)).toHaveLength(1)
      const notes = (await autotaskNotesOf(stack, id)).map((note) => String(note.fields.Description))
      const expected = [`Agent reply ${index}`, `Customer answer ${index}`, ...(index === 5 ? ['Added after staging'] : [])]
      expect(notes.filter((text) => expected.some((body) => text.includes(body)))).toHaveLength(expected.length)
      expect(notes).toHaveLength(expected.length)
    }
    // The older ticket: its description from its own read, its recent comment as the one note.
    expect((await autotaskNotesOf(stack, older)).map((note) => String(note.fields.Description)).join('\n')).toContain('Recent comment on an older ticket')
    expect(await autotaskNotesOf(stack, older)).toHaveLength(1)
    expect(autotaskTicketsFor(stack, unrouted)).toHaveLength(0)
    expect(autotaskTicketsFor(stack, deleted)).toHaveLength(0)
    // Nothing is left staged once the backfill has ended.
    expect(await stagedRows(backfill.id)).toEqual([])
  })
})
