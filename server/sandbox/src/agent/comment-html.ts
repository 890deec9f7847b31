/**
 * Zendesk's comment HTML (`html_body`) as the preview shows it: an allow-list walker. The input is
 * read as a stream of tags and text; the output is written from scratch, so only what is written
 * here can reach the page: the allowed tags without attributes (links keep a checked href), and
 * text escaped again. Whatever the parse of a hostile input, no other markup can come out of it.
 *
 * Other tags are dropped and their text kept ("dropped to text"); script, style and the other
 * elements whose content is not prose lose their content too.
 */

const ALLOWED = new Set(['p', 'br', 'div', 'span', 'a', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote'])
const VOID = new Set(['br'])
/** Elements whose content is code or a document of its own, never text to show. */
const CONTENT_DROPPED = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'embed',
  'noscript',
  'noembed',
  'noframes',
  'textarea',
  'title',
  'xmp',
  'svg',
  'math',
  'head',
])
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n' }

/** Character references decoded as a browser would before it reads a URL or shows text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd'
    }
    return NAMED[name.toLowerCase()] ?? whole
  })
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f)
}

/** An href kept only when it is an absolute http(s) or mailto URL (no javascript:, data:, relative paths). */
function safeHref(raw: string): string | null {
  // Browsers strip control characters and whitespace inside a scheme ("java\tscript:"); so does this.
  const decoded = [...decodeEntities(raw).trim()].filter((char) => char === ' ' || !isControl(char)).join('')
  try {
    const url = new URL(decoded)
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null
  } catch {
    return null
  }
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g

function attributesOf(source: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase()
    if (!attributes.has(name)) attributes.set(name, match[2] ?? match[3] ?? match[4] ?? '')
  }
  return attributes
}

interface Open {
  tag: string
  /** False for an `a` whose href was refused: its text stays, the element does not. */
  written: boolean
}

/** The allow-listed rendering of one comment's HTML. */
export function sanitizeCommentHtml(html: string): string {
  let out = ''
  const open: Open[] = []
  let at = 0
  const closeTo = (index: number) => {
    while (open.length > index) {
      const top = open.pop()!
      if (top.written) out += `</${top.tag}>`
    }
  }
  while (at < html.length) {
    const lt = html.indexOf('<', at)
    if (lt === -1) {
      out += escapeText(decodeEntities(html.slice(at)))
      break
    }
    out += escapeText(decodeEntities(html.slice(at, lt)))
    at = lt
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4)
      at = end === -1 ? html.length : end + 3
      continue
    }
    if (/^<[!?]/.test(html.slice(at, at + 2))) {
      // Doctype, CDATA, processing instructions: nothing to show.
      const end = html.indexOf('>', at)
      at = end === -1 ? html.length : end + 1
      continue
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(html.slice(at))
    if (!tag) {
      // A `<` that starts no tag is text, as in a browser.
      out += '&#60;'
      at += 1
      continue
    }
    at += tag[0].length
    const closing = tag[1] === '/'
    const name = (tag[2] ?? '').toLowerCase()
    if (!closing && CONTENT_DROPPED.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, at)
      if (end === -1) break
      const close = html.indexOf('>', end)
      at = close === -1 ? html.length : close + 1
      continue
    }
    if (!ALLOWED.has(name)) continue
    if (closing) {
      for (let index = open.length - 1; index >= 0; index -= 1) {
        if (open[index]!.tag === name) {
          closeTo(index)
          break
        }
      }
      continue
    }
    if (VOID.has(name)) {
      out += `<${name}>`
      continue
    }
    if (name === 'a') {
      const href = safeHref(attributesOf(tag[3] ?? '').get('href') ?? '')
      open.push({ tag: name, written: href !== null })
      if (href !== null) out += `<a href="${escapeText(href)}" rel="noopener noreferrer" target="_blank">`
      continue
    }
    open.push({ tag: name, written: true })
    out += `<${name}>`
  }
  closeTo(0)
  return out
}
