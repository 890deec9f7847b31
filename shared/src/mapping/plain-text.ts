import { compile } from 'html-to-text'

/**
 * The converter, built once: `convert(html, options)` builds it again on every call (its selector
 * tree and merged options), which cost more than the conversion itself (a Sync now converts every
 * comment of its ticket).
 */
const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
})

/**
 * Zendesk comments are HTML; Autotask notes and descriptions are plain text. Readable plain text
 * keeps paragraphs, lists, quotes and links as `text (url)`; scripts and styles are dropped.
 */
export function htmlToPlainText(html: string): string {
  return normalizeText(toText(html))
}

/** Trims trailing spaces per line, collapses runs of blank lines and trims the whole text. */
export function normalizeText(text: string): string {
  return trimLineEnds(removeUnsafeCharacters(text).replace(/\r\n?/g, '\n'))
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/**
 * Removes spaces and tabs at the end of every line in one pass. A regular expression such as
 * `/[ \t]+$/gm` retries from every space of a long run that does not end the line, which is
 * quadratic: 40,000 spaces took seconds, on every re-sync of the comment (issue 13).
 */
export function trimLineEnds(text: string): string {
  const lines: string[] = []
  let lineStart = 0
  for (;;) {
    const newline = text.indexOf('\n', lineStart)
    let end = newline === -1 ? text.length : newline
    while (end > lineStart && isSpaceOrTab(text.charCodeAt(end - 1))) end -= 1
    lines.push(text.slice(lineStart, end))
    if (newline === -1) return lines.join('\n')
    lineStart = newline + 1
  }
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09
}

/**
 * Splits `text` into parts of at most `max` characters, preferring paragraph, then line, then word
 * boundaries, never splitting a surrogate pair. Returns `[text]` when it fits.
 */
export function splitIntoParts(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2')
  const parts: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    const floor = Math.floor(max * 0.5)
    let cut = Math.max(window.lastIndexOf('\n\n'), -1)
    if (cut < floor) cut = window.lastIndexOf('\n')
    if (cut < floor) cut = window.lastIndexOf(' ')
    if (cut < floor) cut = max
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1
    parts.push(rest.slice(0, cut).trimEnd())
    rest = rest.slice(cut).replace(/^\s+/, '')
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest)
  return parts
}

/** Cuts `text` to at most `max` characters at a word boundary, ending with `…` when cut. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text
  const room = max - 1
  let cut = text.lastIndexOf(' ', room)
  if (cut < room * 0.5) cut = room
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1
  return `${text.slice(0, cut).trimEnd()}…`
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

/**
 * Removes what XML 1.0 cannot carry (control characters other than tab, LF and CR; U+FFFE/U+FFFF;
 * lone surrogates) and keeps surrogate pairs. Autotask's SOAP parser rejects a whole call
 * otherwise, and PostgreSQL cannot store U+0000 in text or jsonb: every text PSA Link passes
 * between the two systems goes through this.
 */
export function removeUnsafeCharacters(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, (match) => (match.length === 2 ? match : ''))
}
