import { sanitizeCommentHtml } from '../../../server/sandbox/src/agent/comment-html'

// The agent-workspace preview shows Zendesk's comment HTML through an allow-list: formatting and
// safe links render, everything else is dropped to text and nothing can run.
describe('the preview’s comment HTML allow-list', () => {
  it('renders Zendesk’s wrapper, paragraphs, lists and entities as formatting when the HTML is ordinary', () => {
    const html = '<div class="zd-comment" dir="auto"><p>Node 3 &amp; node 4 stopped at <strong>09:40</strong>.</p><ul><li>ping fails</li></ul><br/></div>'
    expect(sanitizeCommentHtml(html)).toBe('<div><p>Node 3 &#38; node 4 stopped at <strong>09:40</strong>.</p><ul><li>ping fails</li></ul><br></div>')
  })

  it('keeps an https or mailto link and opens it in a new tab without an opener when the href is safe', () => {
    expect(sanitizeCommentHtml('<a href="https://support.example.com/kb/42?a=1&amp;b=2" onclick="x()">KB 42</a>')).toBe(
      '<a href="https://support.example.com/kb/42?a=1&#38;b=2" rel="noopener noreferrer" target="_blank">KB 42</a>',
    )
    expect(sanitizeCommentHtml("<a href='mailto:ops@example.com'>mail</a>")).toBe(
      '<a href="mailto:ops@example.com" rel="noopener noreferrer" target="_blank">mail</a>',
    )
  })

  it('drops scripts and styles with their content when a comment carries them', () => {
    expect(sanitizeCommentHtml('<p>hi</p><script>alert(1)</script><style>body{display:none}</style><SCRIPT src=x></SCRIPT>!')).toBe('<p>hi</p>!')
  })

  it('drops event handlers, style and class attributes when an allowed tag carries them', () => {
    expect(sanitizeCommentHtml('<p onmouseover="alert(1)" style="position:fixed" class="x">text</p><img src=x onerror=alert(1)>')).toBe('<p>text</p>')
  })

  it('keeps the text but not the link when the href is javascript:, data:, relative or disguised', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'javascript&#58;alert(1)',
      '&#106;avascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '/relative',
      ' javascript:alert(1)',
    ]) {
      expect(sanitizeCommentHtml(`<a href="${href}">click</a>`), href).toBe('click')
    }
  })

  it('escapes markup that arrives as text and closes what was left open when the HTML is nested or broken', () => {
    expect(sanitizeCommentHtml('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(sanitizeCommentHtml('<b><i>bold italic</b> after')).toBe('<b><i>bold italic</i></b> after')
    expect(sanitizeCommentHtml('<blockquote><form><input value="x"><p>quoted</p></form>')).toBe('<blockquote><p>quoted</p></blockquote>')
    expect(sanitizeCommentHtml('1 < 2 and <a href="x>broken')).toBe('1 &#60; 2 and &#60;a href=&#34;x&#62;broken')
    expect(sanitizeCommentHtml('<svg><script>alert(1)</script></svg><iframe src="https://evil.test"></iframe>ok<!-- <script> -->')).toBe('ok')
    expect(sanitizeCommentHtml('<p>a<p title="</p><script>alert(1)</script>">b</p>')).toBe('<p>a<p>b</p></p>')
  })
})
