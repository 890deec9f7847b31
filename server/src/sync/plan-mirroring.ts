import {
  NOTE_DESCRIPTION_MAX,
  NOTE_PUBLISH,
  NOTE_TITLE_MAX,
  ZENDESK_COMMENT_SOURCE_MAX,
  capRemoteText,
  cutNotice,
  commentHeaderForNote,
  htmlToPlainText,
  noteTitleForComment,
  normalizeText,
  splitIntoParts,
  truncateAtWord,
  type ResolvedMappings,
} from '@psa-link/shared'
import type { AutotaskNote } from './ports/autotask-gateway'
import type { LedgerEntry } from './ports/comment-ledger-store'
import type { ZendeskComment } from './ports/zendesk-gateway'

/** A note to create in Autotask for (part of) a Zendesk comment. */
export interface NoteDraft {
  zendeskCommentId: number
  part: number
  naturalKey: string
  title: string
  description: string
  publish: number
  authorName: string
  isPublic: boolean
  createdAt: Date
}

/** A comment to add in Zendesk for an Autotask note. */
export interface CommentDraft {
  /** The note mirrored; null for a comment about an edited Autotask description. */
  autotaskNoteId: number | null
  naturalKey: string
  body: string
  /** What the sidebar lists: the note's own text, without the mirrored comment's header line. */
  previewText: string
  public: boolean
  authorName: string
  createdAt: Date
}

/**
 * Readable plain text of a Zendesk comment; a comment with only attachments says so (Description
 * is required). A body beyond ZENDESK_COMMENT_SOURCE_MAX is cut before it is parsed, and the text
 * ends with a line saying so.
 */
export function commentText(comment: ZendeskComment): string {
  const source = comment.htmlBody ?? comment.body
  const head = source.length > ZENDESK_COMMENT_SOURCE_MAX ? source.slice(0, ZENDESK_COMMENT_SOURCE_MAX) : source
  const converted = comment.htmlBody ? htmlToPlainText(head) : normalizeText(head)
  const text = head === source ? converted : `${converted}\n\n${cutNotice(ZENDESK_COMMENT_SOURCE_MAX, source.length)}`
  if (text) return text
  if (comment.attachmentNames.length > 0) return `[attachment not synced: ${comment.attachmentNames.join(', ')}]`
  return '(empty comment)'
}

/**
 * Zendesk → Autotask: every comment after the first (the description) not yet in the ledger and
 * not written by PSA Link, in creation order, split into numbered parts beyond 32,000 characters.
 * "Written by PSA Link" means authored by its integration user or recorded in the ledger as the
 * comment it added for a note; never the text: anyone can type "Autotask note #1" (issue 13).
 */
export function planNotesToAutotask(comments: ZendeskComment[], ledger: LedgerEntry[], integrationUserId: number): NoteDraft[] {
  const mirrored = new Set(ledger.filter((entry) => entry.zendeskCommentId !== null).map((entry) => `${entry.zendeskCommentId}:${entry.part}`))
  const written = new Set(ledger.filter((entry) => entry.origin === 'autotask').map((entry) => entry.zendeskCommentId))
  const drafts: NoteDraft[] = []
  const ordered = [...comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
  for (const comment of ordered.slice(1)) {
    if (comment.authorId === integrationUserId || written.has(comment.id)) continue
    const parts = splitIntoParts(commentText(comment), NOTE_DESCRIPTION_MAX)
    parts.forEach((description, index) => {
      const part = index + 1
      if (mirrored.has(`${comment.id}:${part}`)) return
      drafts.push({
        zendeskCommentId: comment.id,
        part,
        naturalKey: `Zendesk #${comment.id}`,
        title: noteTitleForComment(comment.id, comment.authorName, part, parts.length),
        description,
        publish: comment.public ? NOTE_PUBLISH.allAutotaskUsers : NOTE_PUBLISH.internalOnly,
        authorName: comment.authorName,
        isPublic: comment.public,
        createdAt: comment.createdAt,
      })
    })
  }
  return drafts
}

/**
 * Autotask → Zendesk: every note of an allowed note type not yet in the ledger, in creation order;
 * private unless the connection allows public ones. The notes PSA Link created are in the ledger
 * (a crashed create is resolved before planning), so a technician's note titled like one of
 * PSA Link's ("Zendesk #…") is still mirrored.
 */
export function planCommentsToZendesk(
  notes: AutotaskNote[],
  ledger: LedgerEntry[],
  mappings: ResolvedMappings,
  creatorNames: Map<number, string>,
): CommentDraft[] {
  const known = new Set(ledger.filter((entry) => entry.autotaskNoteId !== null).map((entry) => entry.autotaskNoteId))
  return [...notes]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
    .filter((note) => !known.has(note.id))
    .filter((note) => mappings.noteTypesToZendesk.has(note.noteType))
    .map((note) => {
      const creator = (note.creatorResourceId !== null && creatorNames.get(note.creatorResourceId)) || 'Autotask'
      // Autotask allows 250 and 32,000 characters; anything longer is not a note Autotask made.
      const title = note.title === null ? null : truncateAtWord(note.title, NOTE_TITLE_MAX)
      const description = capRemoteText(note.description, NOTE_DESCRIPTION_MAX)
      return {
        autotaskNoteId: note.id,
        naturalKey: `Autotask note #${note.id}`,
        body: `${commentHeaderForNote(note.id, creator, title)}\n\n${description}`,
        previewText: title?.trim() ? `${title.trim()}: ${description}` : description,
        public: mappings.publicNotesToZendesk && note.publish === NOTE_PUBLISH.allAutotaskUsers,
        authorName: creator,
        createdAt: note.createdAt,
      }
    })
}
