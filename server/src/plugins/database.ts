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
  /** An already open database; otherwise one is opened from config. */
  database?: Database
  /**
   * The launcher opened and migrated `database` before registering the app (so neither is bound
   * by Fastify's plugin timeout) and hands it over: the app closes it.
   */
  launched?: boolean
}

/** Opens the database, applies pending migrations and closes it (last) when the app closes. */
export default fp<DatabasePluginOptions>(
  async (app, { config, database, launched = false }) => {
    const db = database ?? (await openDatabase(config))
    const ownsDatabase = !database || launched
    if (!launched) {
      try {
        const { applied } = await migrate(db.pool)
        if (applied.length > 0) app.log.info({ applied }, 'database migrations applied')
      } catch (error) {
        if (ownsDatabase) await db.close()
        throw error
      }
    }
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      if (ownsDatabase) await db.close()
    })
  },
  { name: 'database' },
)
