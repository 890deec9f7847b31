import {
  commentHeaderForNote,
  descriptionContinuedTitle,
  externalIdFor,
  noteTitleForComment,
  parseCommentNoteTitle,
  parseNoteCommentHeader,
  titleFromSubject,
} from '@psa-link/shared'

describe('natural keys', () => {
  it('reads the comment id and part back from a note title', () => {
    expect(parseCommentNoteTitle(noteTitleForComment(123456, 'Ann Agent'))).toEqual({ commentId: 123456, part: 1 })
    expect(parseCommentNoteTitle(noteTitleForComment(77, 'Ann', 2, 3))).toEqual({ commentId: 77, part: 2 })
    expect(parseCommentNoteTitle('Technician note')).toBeNull()
  })

  it('keeps a note title within 250 characters when the author name is huge', () => {
    const title = noteTitleForComment(1, 'x'.repeat(400))
    expect(title.length).toBeLessThanOrEqual(250)
    expect(parseCommentNoteTitle(title)).toEqual({ commentId: 1, part: 1 })
  })

  it('reads the note id back from a mirrored comment', () => {
    const body = `${commentHeaderForNote(9001, 'Tom Tech', 'Called the customer')}\n\nDetails`
    expect(body.startsWith('Autotask note #9001 · Tom Tech · Called the customer')).toBe(true)
    expect(parseNoteCommentHeader(body)).toBe(9001)
    expect(parseNoteCommentHeader('Autotask notes are great')).toBeNull()
  })

  it('numbers the notes that continue a long description from 1', () => {
    expect(descriptionContinuedTitle(2, 3)).toBe('Description (continued) 1 of 2')
  })

  it('builds an ExternalID that fits Autotask’s 50 characters for the largest ids', () => {
    expect(externalIdFor(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(50)
  })
})

describe('titleFromSubject', () => {
  it('uses a placeholder naming the ticket when the subject is empty', () => {
    expect(titleFromSubject('   ', 42)).toBe('(no subject) — Zendesk #42')
    expect(titleFromSubject(null, 43)).toBe('(no subject) — Zendesk #43')
  })

  it('cuts a long subject at a word with … within 255 characters', () => {
    const title = titleFromSubject('word '.repeat(100), 1)
    expect(title.length).toBeLessThanOrEqual(255)
    expect(title.endsWith('word…')).toBe(true)
  })
})
