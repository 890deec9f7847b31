import { randomBytes } from 'node:crypto'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config'
import { PRIVATE_FILE_MODE, ensurePrivateDir } from './private-files'

export interface SecretKeySource {
  key: Buffer
  /** Where the key came from, for the start-up banner (never the key itself). */
  origin: 'environment' | 'generated' | 'data-dir'
}

/**
 * PSA_LINK_SECRET_KEY when set; otherwise a key kept in DATA_DIR/secret.key, generated on first
 * start (mode 0600, in a 0700 DATA_DIR) so a trial install works without set-up. Losing that file
 * loses every stored secret.
 */
export async function loadSecretKey(config: Pick<Config, 'PSA_LINK_SECRET_KEY' | 'DATA_DIR'>): Promise<SecretKeySource> {
  if (config.PSA_LINK_SECRET_KEY) return { key: Buffer.from(config.PSA_LINK_SECRET_KEY, 'hex'), origin: 'environment' }
  const file = path.resolve(config.DATA_DIR, 'secret.key')
  try {
    const hex = (await readFile(file, 'utf8')).trim()
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} does not hold 64 hexadecimal characters`)
    // A key file from an older install (or a copy) may be readable by others: narrow it.
    await chmod(file, PRIVATE_FILE_MODE)
    return { key: Buffer.from(hex, 'hex'), origin: 'data-dir' }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = randomBytes(32)
  await ensurePrivateDir(path.dirname(file))
  // 'wx' fails if another process created the file meanwhile; then read theirs.
  try {
    await writeFile(file, `${key.toString('hex')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' })
    return { key, origin: 'generated' }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return loadSecretKey(config)
  }
}
