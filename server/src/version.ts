import { readFileSync } from 'node:fs'
import { INSTALL_ROOT } from './install-root'

/** PSA Link's version, from the root package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('package.json', INSTALL_ROOT), 'utf8')) as { version: string }).version
