import { removeUnsafeCharacters, truncateAtWord } from './plain-text'

export const TICKET_TITLE_MAX = 255
export const TICKET_DESCRIPTION_MAX = 8000
export const NOTE_DESCRIPTION_MAX = 32000

/** Autotask Ticket.Title from a Zendesk subject: cut at a word with `…`; a placeholder when empty. */
export function titleFromSubject(subject: string | null | undefined, zendeskTicketId: number): string {
  const trimmed = removeUnsafeCharacters(subject ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  if (!trimmed) return `(no subject) — Zendesk #${zendeskTicketId}`
  return truncateAtWord(trimmed, TICKET_TITLE_MAX)
}
