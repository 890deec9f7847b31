/**
 * The texts PSA Link writes into the other system double as natural keys: after a crash between a
 * remote create and the ledger update, the item is found again by these markers instead of being
 * created twice (server/src/sync/README.md R12). They are looked up only among the items
 * PSA Link itself wrote (its integration user's comments, its own resource's notes): anyone can
 * type a marker, so text alone never makes an item PSA Link's, and echoes are stopped by the
 * comment ledger and authorship instead.
 */
export const NOTE_TITLE_MAX = 250

/** Autotask ExternalID of a ticket PSA Link created: immutable, tenant-scoped, ≤ 50 characters. */
export function externalIdFor(zendeskAccountId: number, zendeskTicketId: number): string {
  return `zd:${zendeskAccountId}:${zendeskTicketId}`
}

/** Title of the TicketNote mirroring Zendesk comment `commentId` (part n of m when split). */
export function noteTitleForComment(commentId: number, authorName: string, part = 1, parts = 1): string {
  const suffix = parts > 1 ? ` (part ${part} of ${parts})` : ''
  const head = `Zendesk #${commentId}${suffix}: `
  const room = NOTE_TITLE_MAX - head.length
  const author = authorName.length > room ? `${authorName.slice(0, Math.max(0, room - 1))}…` : authorName
  return `${head}${author}`
}

const COMMENT_NOTE_TITLE = /^Zendesk #(\d+)(?: \(part (\d+) of (\d+)\))?:/

/** The Zendesk comment (and part) an Autotask note mirrors, read from its title; null if none. */
export function parseCommentNoteTitle(title: string | null | undefined): { commentId: number; part: number } | null {
  const match = title ? COMMENT_NOTE_TITLE.exec(title) : null
  if (!match) return null
  return { commentId: Number(match[1]), part: match[2] ? Number(match[2]) : 1 }
}

export const DESCRIPTION_CONTINUED_TITLE = 'Description (continued)'

/** Title of the note carrying part `part` (2, 3, …) of a Zendesk description too long for Ticket.Description. */
export function descriptionContinuedTitle(part: number, parts: number): string {
  return `${DESCRIPTION_CONTINUED_TITLE} ${part - 1} of ${parts - 1}`
}

/** First line of the Zendesk comment mirroring Autotask note `noteId`. */
export function commentHeaderForNote(noteId: number, creatorName: string, title: string | null): string {
  return [`Autotask note #${noteId}`, creatorName, title?.trim() || null].filter(Boolean).join(' · ')
}

const NOTE_COMMENT_HEADER = /^\s*Autotask note #(\d+)\b/

/** The Autotask note a Zendesk comment mirrors, read from its first line; null if none. */
export function parseNoteCommentHeader(body: string | null | undefined): number | null {
  const match = body ? NOTE_COMMENT_HEADER.exec(body) : null
  return match ? Number(match[1]) : null
}

export const DESCRIPTION_CHANGED_HEADER = 'Autotask description changed:'
