import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { VERSION } from '../version'

/**
 * OpenAPI for the sidebar's API and the webhooks, served at /docs (JSON at /docs/json). Registered
 * before the routes so it sees them; the admin console's own API stays out of it.
 */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'PSA Link API',
          version: VERSION,
          description: 'The sidebar API, called by the PSA Link Zendesk app through Zendesk’s request proxy, and the Zendesk webhook receiver.',
        },
        components: {
          securitySchemes: {
            sidebarJwt: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'HS256, signed by Zendesk’s proxy with the installation’s shared_secret; claims iss (subdomain), aud "psa-link", ticket_id, exp ≤ 300 s ahead.',
            },
          },
        },
      },
      transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') || url.startsWith('/webhooks/') ? schema : { ...schema, hide: true }, url }),
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)
