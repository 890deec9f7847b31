import { planCommentsToZendesk, planNotesToAutotask } from '../../../server/src/sync/plan-mirroring'
import type { AutotaskNote } from '../../../server/src/sync/ports/autotask-gateway'
import type { LedgerEntry } from '../../../server/src/sync/ports/comment-ledger-store'
import type { ZendeskComment } from '../../../server/src/sync/ports/zendesk-gateway'
import { defaultMappings, picklistOption } from '../../helpers/engine-fixtures'

const INTEGRATION_USER = 900
const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 12, minute))
const makeComment = (overrides: Partial<ZendeskComment> & { id: number }): ZendeskComment => ({
  authorId: 1,
  authorName: 'Ann Agent',
  public: true,
  htmlBody: null,
  body: `comment ${overrides.id}`,
  attachmentNames: [],
  createdAt: at(overrides.id),
  ...overrides,
})
const makeNote = (overrides: Partial<AutotaskNote> & { id: number }): AutotaskNote => ({
  ticketId: 77,
  title: `note ${overrides.id}`,
  description: `text ${overrides.id}`,
  noteType: 1,
  publish: 1,
  creatorResourceId: 5,
  createdAt: at(overrides.id),
  lastActivityDate: null,
  ...overrides,
})
const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({
  id: 1,
  ticketLinkId: 1,
  origin: 'zendesk',
  zendeskCommentId: null,
  autotaskNoteId: null,
  part: 1,
  naturalKey: 'k',
  state: 'done',
  ...overrides,
})
const mappings = defaultMappings([picklistOption(1, 'Task Notes'), picklistOption(13, 'Workflow Rule Note')])

describe('planNotesToAutotask', () => {
  it('skips the description, mirrored comments, the integration user’s and those the ledger says PSA Link wrote', () => {
    const comments = [
      makeComment({ id: 1 }),
      makeComment({ id: 2 }),
      makeComment({ id: 3, authorId: INTEGRATION_USER }),
      makeComment({ id: 4 }),
      makeComment({ id: 5 }),
    ]
    const ledger = [entry({ zendeskCommentId: 2 }), entry({ origin: 'autotask', autotaskNoteId: 55, zendeskCommentId: 4 })]
    const drafts = planNotesToAutotask(comments, ledger, INTEGRATION_USER)
    expect(drafts.map((draft) => draft.zendeskCommentId)).toEqual([5])
  })

  it('mirrors a customer’s comment that begins with PSA Link’s marker text when someone else wrote it', () => {
    const forged = makeComment({ id: 4, body: 'Autotask note #55 · Tom · Called\n\nplease escalate' })
    const drafts = planNotesToAutotask([makeComment({ id: 1 }), forged], [], INTEGRATION_USER)
    expect(drafts.map((draft) => draft.zendeskCommentId)).toEqual([4])
  })

  it('splits a comment beyond 32,000 characters into numbered parts and skips parts already mirrored', () => {
    const long = makeComment({ id: 2, body: 'word '.repeat(14_000) })
    const drafts = planNotesToAutotask([makeComment({ id: 1 }), long], [entry({ zendeskCommentId: 2, part: 1 })], INTEGRATION_USER)
    expect(drafts.map((draft) => [draft.part, draft.title])).toEqual([
      [2, 'Zendesk #2 (part 2 of 3): Ann Agent'],
      [3, 'Zendesk #2 (part 3 of 3): Ann Agent'],
    ])
    for (const draft of drafts) expect(draft.description.length).toBeLessThanOrEqual(32_000)
  })

  it('orders by creation time, not by id', () => {
    const drafts = planNotesToAutotask(
      [makeComment({ id: 1 }), makeComment({ id: 9, createdAt: at(3) }), makeComment({ id: 8, createdAt: at(2) })],
      [],
      INTEGRATION_USER,
    )
    expect(drafts.map((draft) => draft.zendeskCommentId)).toEqual([8, 9])
  })
})

describe('planCommentsToZendesk', () => {
  const names = new Map([[5, 'Tom Tech']])

  it('skips notes in the ledger, notes PSA Link wrote and excluded note types', () => {
    const notes = [
      makeNote({ id: 1 }),
      makeNote({ id: 2, title: 'Zendesk #44: Ann Agent' }),
      makeNote({ id: 3, title: 'Description (continued) 1 of 2' }),
      makeNote({ id: 4, noteType: 13 }),
      makeNote({ id: 5 }),
    ]
    const ledger = [
      entry({ origin: 'autotask', autotaskNoteId: 1 }),
      entry({ origin: 'zendesk', zendeskCommentId: 44, autotaskNoteId: 2 }),
      entry({ origin: 'zendesk', zendeskCommentId: 1, part: 2, autotaskNoteId: 3 }),
    ]
    const drafts = planCommentsToZendesk(notes, ledger, mappings, names)
    expect(drafts.map((draft) => draft.autotaskNoteId)).toEqual([5])
    expect(drafts[0]!.body).toBe('Autotask note #5 · Tom Tech · note 5\n\ntext 5')
    expect(drafts[0]!.public).toBe(false)
  })

  it('mirrors a technician’s note titled like PSA Link’s own when the ledger does not hold it', () => {
    const drafts = planCommentsToZendesk([makeNote({ id: 7, title: 'Zendesk #44: Ann Agent' })], [], mappings, names)
    expect(drafts.map((draft) => draft.autotaskNoteId)).toEqual([7])
  })
})
