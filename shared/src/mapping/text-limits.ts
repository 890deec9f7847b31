/**
 * Upper bounds on text read from Zendesk and Autotask, applied before PSA Link parses or copies it:
 * a remote body is data from outside, and one pathological comment must not stall a worker.
 * Whatever is cut says so at its end, so nobody mistakes a cut text for the whole. Autotask's own
 * limits (Ticket.Description 8,000, TicketNote.Description 32,000 characters) are in ticket-title.ts.
 */

/**
 * Zendesk documents 65,535 characters for a comment created through the API; comments that arrive
 * by email or from other channels can be longer, and HTML adds markup. Four times the documented
 * maximum keeps every real comment whole and still bounds the work per comment.
 */
export const ZENDESK_COMMENT_SOURCE_MAX = 262_144

/** The line that ends a text PSA Link cut. */
export function cutNotice(max: number, length: number): string {
  return `[PSA Link cut this text at ${max.toLocaleString('en-US')} characters; the original has ${length.toLocaleString('en-US')}.]`
}

/**
 * `text` unchanged when it has at most `max` characters; otherwise its first `max` characters
 * (never half a surrogate pair) followed by a line saying where and why it was cut.
 */
export function capRemoteText(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = max
  const last = text.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1
  return `${text.slice(0, cut)}\n\n${cutNotice(max, text.length)}`
}
