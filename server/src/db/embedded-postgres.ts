import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { ensurePrivateDir, restrictTree } from '../security/private-files'

/**
 * PGlite served on a loopback socket, so the backend's `pg` code runs unchanged against it.
 * One PGlite is one Postgres session: the socket server multiplexes connections onto it and keeps
 * each transaction on its own connection. pg-boss needs many connections (it fails with the
 * default of 1), hence the generous `maxConnections`.
 */
export interface EmbeddedPostgres {
  url: string
  /** Stops the socket server and closes PGlite, which flushes its data directory. */
  stop(): Promise<void>
}

const EMBEDDED_MAX_CONNECTIONS = 40

/** `dataDir` is a folder for durable data, or undefined for an in-memory database (tests). */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) await ensurePrivateDir(dataDir)
  const db = await PGlite.create(dataDir ?? 'memory://')
  // The folder is 0700 already; its files are narrowed too (see private-files).
  if (dataDir) await restrictTree(dataDir)
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  })
  await server.start()
  const url = `postgres://postgres@${server.getServerConn()}/postgres`
  let stopped: Promise<void> | undefined
  return {
    url,
    stop() {
      stopped ??= (async () => {
        await server.stop()
        await db.close()
      })()
      return stopped
    },
  }
}
