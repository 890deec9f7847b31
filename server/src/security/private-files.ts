import { chmod, mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'

/**
 * DATA_DIR holds the embedded database and the generated secret key: nobody but the account
 * PSA Link runs as may read them, whatever the umask. Folders are 0700, files 0600.
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Creates `dir` (and missing parents) as 0700, and narrows it to 0700 when it already existed. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  await chmod(dir, PRIVATE_DIR_MODE)
}

/**
 * Narrows every folder under `dir` to 0700 and every file to 0600: PGlite writes its files with
 * the process umask (often 0644), and a database created before this rule keeps its old modes.
 */
export async function restrictTree(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR_MODE)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name)
    if (entry.isDirectory()) await restrictTree(target)
    else if (entry.isFile()) await chmod(target, PRIVATE_FILE_MODE)
  }
}
