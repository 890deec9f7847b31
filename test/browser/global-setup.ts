import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * What the browser tests need on a fresh machine: Debian's Chromium (installed when missing, as
 * root, the way .ci/run does) and the built sidebar app and admin console they load.
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM)) {
    try {
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' })
    } catch (error) {
      throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}; installing it failed (run: apt-get install chromium): ${String(error)}`)
    }
  }
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })
}
