import type { FastifyReply } from 'fastify'

/** Text made safe for HTML content and quoted attributes (the sandbox's own pages). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** Sends one of the sandbox's server-rendered pages: never cached, no script, no framing, forms to itself only. */
export function sendHtmlPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(html)
}
