import fp from 'fastify-plugin'
import type { Config } from '../config'
import { openDatabase, type Database } from '../db/database'
import { migrate } from '../db/migrate'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

export interface DatabasePluginOptions {
  config: Config
  /** An already open database owned by the caller (tests); otherwise one is opened from config. */
  database?: Database
}

/** Opens the database, applies pending migrations and closes it (last) when the app closes. */
export default fp<DatabasePluginOptions>(
  async (app, { config, database }) => {
    const db = database ?? (await openDatabase(config))
    try {
      const { applied } = await migrate(db.pool)
      if (applied.length > 0) app.log.info({ applied }, 'database migrations applied')
    } catch (error) {
      if (!database) await db.close()
      throw error
    }
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      if (!database) await db.close()
    })
  },
  { name: 'database' },
)
