import fp from 'fastify-plugin'
import { createConnectionHealthRepository, type ConnectionHealthRepository } from '../../db/repositories/connection-health-repository'

declare module 'fastify' {
  interface FastifyInstance {
    /** Which connections are failing, cycle after cycle (the console's banner, /health). */
    connectionHealth: ConnectionHealthRepository
  }
}

export default fp(
  async (app) => {
    app.decorate('connectionHealth', createConnectionHealthRepository(app.db.pool))
  },
  { name: 'connection-health', dependencies: ['database'] },
)
