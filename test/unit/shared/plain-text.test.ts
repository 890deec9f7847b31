import { performance } from 'node:perf_hooks'
import { capRemoteText, htmlToPlainText, normalizeText, splitIntoParts, truncateAtWord } from '@psa-link/shared'

/** The fastest of several runs (the least disturbed by other work on the machine), in ms. */
function fastestRun(work: () => unknown, runs = 7): number {
  work()
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now()
    work()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

describe('htmlToPlainText', () => {
  it('keeps paragraphs, lists, quotes and links as text (url) when a comment is HTML', () => {
    const text = htmlToPlainText(
      '<p>Hello <b>team</b></p><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote><p><a href="https://x.test/kb">the article</a></p>',
    )
    expect(text).toBe('Hello team\n\n * one\n * two\n\n> quoted\n\nthe article (https://x.test/kb)')
  })

  it('drops scripts and keeps entities and emoji when the HTML is hostile', () => {
    const text = htmlToPlainText('<script>alert(1)</script><p>a &lt;b&gt; &amp; ]]&gt; 🚀</p>')
    expect(text).toBe('a <b> & ]]> 🚀')
  })
})

describe('splitIntoParts', () => {
  it('returns the text alone when it fits', () => {
    expect(splitIntoParts('short', 10)).toEqual(['short'])
  })

  it('splits at paragraph boundaries and loses no words when the text is long', () => {
    const paragraphs = Array.from({ length: 50 }, (_, index) => `Paragraph ${index} ${'word '.repeat(30).trim()}`)
    const text = paragraphs.join('\n\n')
    const parts = splitIntoParts(text, 1000)
    expect(parts.length).toBeGreaterThan(1)
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1000)
    expect(parts.join('\n\n')).toBe(text)
  })

  it('never splits a surrogate pair when the text is all emoji', () => {
    const parts = splitIntoParts('😀'.repeat(100), 15)
    for (const part of parts) expect(part).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/)
    expect(parts.join('')).toBe('😀'.repeat(100))
  })
})

describe('truncateAtWord', () => {
  it('cuts at a word boundary and ends with an ellipsis when too long', () => {
    const cut = truncateAtWord('alpha beta gamma delta', 13)
    expect(cut).toBe('alpha beta…')
    expect(cut.length).toBeLessThanOrEqual(13)
  })
})

describe('normalizeText', () => {
  it('trims every line end and collapses blank lines when the text has trailing spaces and tabs', () => {
    expect(normalizeText('  one  \t\r\ntwo\t\n\n\n\n  three   ')).toBe('one\ntwo\n\n  three')
  })

  it('takes time linear in the input when a line holds a long run of spaces before more text', () => {
    const size = 24_000
    // A run of spaces that does not end its line: a per-line `[ \t]+$` regex retries from every space.
    const adversarial = `a${' '.repeat(size)}x\n`
    const ordinary = `${'ab '.repeat(size / 3)}x\n`.padEnd(adversarial.length, 'y')
    expect(normalizeText(adversarial)).toBe(`a${' '.repeat(size)}x`)
    const ratio = fastestRun(() => normalizeText(adversarial), 3) / fastestRun(() => normalizeText(ordinary), 3)
    // Linear: about 1. The quadratic regex made it thousands (seconds against a millisecond).
    expect(ratio).toBeLessThan(20)
  })
})

describe('capRemoteText', () => {
  it('returns the text unchanged when it fits', () => {
    expect(capRemoteText('short', 10)).toBe('short')
  })

  it('cuts at the limit and ends with a line saying so when the text is longer', () => {
    const capped = capRemoteText('a'.repeat(50_000), 32_000)
    expect(capped.startsWith('a'.repeat(32_000) + '\n\n')).toBe(true)
    expect(capped.split('\n').at(-1)).toBe('[PSA Link cut this text at 32,000 characters; the original has 50,000.]')
  })

  it('never keeps half a surrogate pair when the cut falls inside one', () => {
    const capped = capRemoteText('😀'.repeat(10), 5)
    expect(capped.startsWith('😀😀\n\n')).toBe(true)
  })
})
