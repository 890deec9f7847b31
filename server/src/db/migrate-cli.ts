import { loadConfig } from '../config'
import { openDatabase } from './database'
import { migrate } from './migrate'

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
const config = loadConfig()
const database = await openDatabase(config)
try {
  const { applied, alreadyApplied } = await migrate(database.pool)
  console.log(
    `database: ${database.kind}; applied ${applied.length} migration(s)${applied.length ? `: ${applied.join(', ')}` : ''}; ${alreadyApplied.length} already applied`,
  )
} finally {
  await database.close()
}
