import { sanitizeCommentHtml } from './comment-html'
import { HOST_SCRIPT } from './host-script'
import { REPLY_SCRIPT } from './reply-script'
import { escapeHtml } from '../html-page'

/** One Zendesk ticket as the preview shows it (read from the Zendesk emulator by whoever wires this). */
export interface PreviewTicket {
  id: number
  subject: string
  status: string
  priority: string | null
  requesterName: string
  /** The Cluster ID custom field's value. */
  clusterId: string | null
  comments: PreviewComment[]
}

export interface PreviewComment {
  author: string
  /** Zendesk's html_body; the page renders it through an allow-list (comment-html.ts). */
  html: string
  public: boolean
  createdAt: string
}

export interface PreviewPageData {
  ticket: PreviewTicket
  subdomain: string
  clusterIdFieldId: number | null
  colorScheme: 'light' | 'dark'
  config: unknown
  /** The agent the reply box writes as (absent: no reply box). */
  replyAs?: { name: string; url: string }
}

/** JSON inside <script type="application/json">: `<` escaped so no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #2f3941; background: #f8f9f9; }
  header.bar { height: 48px; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #03363d; color: #fff; }
  header.bar .tab { background: #fff; color: #2f3941; border-radius: 4px 4px 0 0; padding: 6px 12px; align-self: flex-end; font-weight: 600; }
  .workspace { display: grid; grid-template-columns: 260px minmax(0, 1fr) 341px; min-height: calc(100vh - 48px); }
  aside.properties { border-right: 1px solid #d8dcde; padding: 16px; background: #fff; }
  aside.properties label { display: block; font-weight: 600; margin: 12px 0 4px; }
  aside.properties .value, aside.properties input { width: 100%; padding: 6px 8px; border: 1px solid #c2c8cc; border-radius: 4px; background: #fff; font: inherit; }
  main.conversation { padding: 16px 24px; }
  main.conversation h1 { font-size: 20px; margin: 0 0 4px; }
  .comment { background: #fff; border: 1px solid #e9ebed; border-radius: 6px; padding: 12px; margin: 12px 0; }
  .comment.internal { background: #fff6e5; border-color: #ffd68f; }
  .comment .meta { color: #68737d; font-size: 12px; margin-bottom: 6px; }
  aside.apps { border-left: 1px solid #d8dcde; background: #fff; padding: 12px 10px; }
  aside.apps h2 { font-size: 14px; margin: 0 0 8px; padding: 4px 6px; border-bottom: 1px solid #e9ebed; }
  #app-frame { display: block; width: 100%; height: 120px; border: 0; }
  footer.submit { display: flex; gap: 12px; align-items: center; margin-top: 20px; }
  button.submit { background: #1f73b7; color: #fff; border: 0; border-radius: 4px; padding: 8px 16px; font: inherit; font-weight: 600; cursor: pointer; }
  button.submit:focus-visible, button.scheme:focus-visible { outline: 3px solid #5293c7; outline-offset: 2px; }
  button.scheme { margin-left: auto; background: transparent; color: #fff; border: 1px solid #8fb3b8; border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
  form.reply { background: #fff; border: 1px solid #d8dcde; border-radius: 6px; padding: 12px; margin-top: 20px; }
  form.reply fieldset { border: 0; padding: 0; margin: 0 0 8px; }
  form.reply legend { font-weight: 600; padding: 0; margin-bottom: 6px; }
  form.reply fieldset label { display: inline-block; margin-right: 16px; white-space: nowrap; }
  form.reply textarea { width: 100%; padding: 8px; border: 1px solid #c2c8cc; border-radius: 4px; font: inherit; background: #fff; color: inherit; }
  form.reply footer.submit { margin-top: 8px; }
  .hidden-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .comment .body a { color: #1f73b7; }
  .comment .body blockquote { border-left: 3px solid #d8dcde; margin: 6px 0; padding-left: 10px; color: #49545c; }
  body.dark form.reply, body.dark form.reply textarea { background: #1e2a30; color: #e9ebed; border-color: #3b4a52; }
  body.dark .comment .body a { color: #8dc3f0; }
  body.dark .comment .body blockquote { color: #c2c8cc; border-color: #3b4a52; }
  body.dark { color: #e9ebed; background: #121b20; }
  body.dark aside.properties, body.dark aside.apps, body.dark .comment, body.dark aside.properties .value, body.dark aside.properties input { background: #1e2a30; color: #e9ebed; border-color: #3b4a52; }
  body.dark .comment.internal { background: #3a2f16; border-color: #6b5322; }
  body.dark header.bar .tab { background: #1e2a30; color: #e9ebed; }
  body.dark aside.apps h2 { border-color: #3b4a52; }
`

function replyBox(replyAs: { name: string; url: string }): string {
  return `
      <form id="reply-form" class="reply" data-url="${escapeHtml(replyAs.url)}">
        <fieldset>
          <legend>Reply as ${escapeHtml(replyAs.name)} (an agent)</legend>
          <label><input type="radio" name="visibility" value="public" checked /> Public reply</label>
          <label><input type="radio" name="visibility" value="internal" /> Internal note</label>
        </fieldset>
        <label for="reply-body" class="hidden-label">Your reply</label>
        <textarea id="reply-body" name="body" rows="4" required placeholder="Write a reply or an internal note; it reaches Autotask through Zendesk's webhook"></textarea>
        <footer class="submit"><button class="submit" type="submit" id="reply-submit">Send as ${escapeHtml(replyAs.name)}</button><span id="reply-status" role="status"></span></footer>
      </form>`
}

export function renderPreviewPage({ ticket, subdomain, clusterIdFieldId, colorScheme, config, replyAs }: PreviewPageData): string {
  const comments = ticket.comments
    .map(
      (comment) => `
      <article class="comment${comment.public ? '' : ' internal'}">
        <div class="meta">${escapeHtml(comment.author)} · <time datetime="${escapeHtml(comment.createdAt)}">${escapeHtml(comment.createdAt)}</time> · ${comment.public ? 'Public reply' : 'Internal note'}</div>
        <div class="body">${sanitizeCommentHtml(comment.html)}</div>
      </article>`,
    )
    .join('')
  const clusterField = clusterIdFieldId
    ? `<input id="cluster-id" name="cluster_id" value="${escapeHtml(ticket.clusterId ?? '')}" />`
    : `<input id="cluster-id" name="cluster_id" value="${escapeHtml(ticket.clusterId ?? '')}" disabled title="No Cluster ID field id is configured" />`
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>#${ticket.id} ${escapeHtml(ticket.subject)} – ${escapeHtml(subdomain)} (agent workspace preview)</title>
  <style>${STYLE}</style>
</head>
<body class="${colorScheme}">
  <header class="bar"><strong>${escapeHtml(subdomain)}</strong><span class="tab">#${ticket.id} ${escapeHtml(ticket.subject)}</span><button type="button" class="scheme" id="color-scheme" aria-pressed="${colorScheme === 'dark'}">Dark mode</button></header>
  <div class="workspace">
    <aside class="properties">
      <form id="ticket-form">
        <label>Requester</label><div class="value" id="requester">${escapeHtml(ticket.requesterName)}</div>
        <label>Status</label><div class="value" id="ticket-status">${escapeHtml(ticket.status)}</div>
        <label>Priority</label><div class="value" id="ticket-priority">${escapeHtml(ticket.priority ?? '-')}</div>
        <label for="cluster-id">Cluster ID</label>${clusterField}
        <footer class="submit"><button class="submit" type="submit" id="submit-ticket">Submit</button><span id="host-status" role="status"></span></footer>
      </form>
    </aside>
    <main class="conversation">
      <h1 id="ticket-subject">${escapeHtml(ticket.subject)}</h1>
      <div>Ticket #${ticket.id}</div>
      ${comments || '<p>No comments.</p>'}
      ${replyAs ? replyBox(replyAs) : ''}
    </main>
    <aside class="apps" aria-label="Apps">
      <h2>PSA Link</h2>
      <iframe id="app-frame" title="PSA Link app"></iframe>
    </aside>
  </div>
  <script type="application/json" id="preview-config">${scriptJson(config)}</script>
  <script>${HOST_SCRIPT}</script>
  ${replyAs ? `<script>${REPLY_SCRIPT}</script>` : ''}
</body>
</html>`
}

export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`
}
