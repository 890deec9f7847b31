import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Set once this setup has built the sidebar app and the admin console for the run: the test files'
 * buildApp()/buildAdminConsole() (preview-harness.ts) then reuse that build instead of building again.
 */
export const UI_BUILT_FOR_THIS_RUN = 'PSA_LINK_TEST_UI_BUILT'

/**
 * What the browser tests need on a fresh machine: Debian's Chromium (installed when missing, as
 * root, the way .ci/run does) and the built sidebar app and admin console they load. Built once
 * here for the whole run; the test files' buildApp()/buildAdminConsole() then reuse it (the
 * variable below is inherited by the test workers, which start after this setup).
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM)) {
    try {
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' })
    } catch (error) {
      throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}; installing it failed (run: apt-get install chromium): ${String(error)}`)
    }
  }
  // Only the UIs: no browser test loads the server build (dist/server).
  execFileSync('npm', ['run', 'build:ui', '--silent'], { cwd: ROOT, stdio: 'inherit' })
  process.env[UI_BUILT_FOR_THIS_RUN] = '1'
}
