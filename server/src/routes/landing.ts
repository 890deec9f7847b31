import type { FastifyPluginAsync } from 'fastify'
import { VERSION } from '../version'

interface Link {
  href: string
  title: string
  what: string
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/**
 * `/`: where the README and the start-up banner send people. It names what there is to open; the
 * sandbox's links only while the sandbox is mounted (never in production).
 */
const landingRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const links: Link[] = [
      ...(fastify.sandbox
        ? [
            {
              href: '/sandbox/agent?ticket=1',
              title: 'Agent preview',
              what: 'The sidebar app on a Zendesk-like ticket page, with emulated Zendesk and Autotask behind it. Tickets 2–7 show the other states.',
            },
            { href: '/sandbox', title: 'Sandbox', what: 'The emulated tickets, and "Seed 200 historical tickets" to watch a backfill in the admin console.' },
          ]
        : []),
      {
        href: '/admin/',
        title: 'Admin console',
        what: fastify.sandbox
          ? 'Connections, mappings, the monitor and the error inbox. The demo login is printed at start-up.'
          : 'Connections, mappings, the monitor and the error inbox.',
      },
      { href: '/docs', title: 'API documentation', what: 'The sidebar API and the webhook receiver as OpenAPI.' },
      { href: '/health', title: 'Health', what: 'Whether PSA Link, its database and its connections are well (JSON).' },
      { href: '/metrics', title: 'Metrics', what: 'Prometheus metrics: runs, durations, requests, failures.' },
    ]
    const items = links.map((link) => `<li><a href="${escape(link.href)}">${escape(link.title)}</a><p>${escape(link.what)}</p></li>`).join('\n')
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PSA Link</title>
<style>
  body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #2f3941; max-width: 640px; margin: 48px auto; padding: 0 20px; }
  h1 { font-size: 24px; margin-bottom: 4px; } .version { color: #68737d; margin-top: 0; }
  ul { list-style: none; padding: 0; } li { border-top: 1px solid #d8dcde; padding: 12px 0; }
  a { color: #1f73b7; font-weight: 600; font-size: 16px; } li p { margin: 4px 0 0; color: #49545c; }
</style></head>
<body>
<h1>PSA Link</h1>
<p class="version">Version ${escape(VERSION)} · keeps Zendesk tickets and Autotask PSA tickets in step</p>
<ul>
${items}
</ul>
</body>
</html>`)
  })
}

export default landingRoutes
