import type * as HtmlToText from 'html-to-text'
import { htmlToPlainText } from '@psa-link/shared'

// Building html-to-text's converter (its selector tree, its merged options) cost more than
// converting a comment, and a Sync now converts every comment of its ticket: it is built once.
const built = vi.hoisted(() => ({ count: 0 }))
vi.mock('html-to-text', async (importOriginal) => {
  const actual = await importOriginal<typeof HtmlToText>()
  return {
    ...actual,
    compile: (...args: Parameters<typeof actual.compile>) => {
      built.count += 1
      return actual.compile(...args)
    },
    // convert builds a converter on every call.
    convert: (...args: Parameters<typeof actual.convert>) => {
      built.count += 1
      return actual.convert(...args)
    },
  }
})

describe('htmlToPlainText', () => {
  it('builds its converter once, not once per comment', () => {
    expect(htmlToPlainText('<p>first</p>')).toBe('first')
    const before = built.count
    for (let comment = 0; comment < 5; comment += 1) expect(htmlToPlainText(`<p>comment <b>${comment}</b></p>`)).toBe(`comment ${comment}`)
    expect(built.count - before).toBe(0)
  })
})
