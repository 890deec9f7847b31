import { htmlToPlainText, splitIntoParts, truncateAtWord } from '@psa-link/shared'

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
