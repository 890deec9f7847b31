import fp from 'fastify-plugin'
import { createTenantsRepository, type TenantsRepository } from '../db/repositories/tenants-repository'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Zendesk accounts and their Autotask connections, secrets opened. */
    tenants: TenantsRepository
  }
}

export default fp(
  async (app) => {
    app.decorate('tenants', createTenantsRepository(app.db.pool, app.secrets))
  },
  { name: 'tenants', dependencies: ['database', 'secrets'] },
)
