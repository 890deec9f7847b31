// `npm run app:package` (the private build, for the backend at PUBLIC_URL) and
// `npm run app:package:marketplace` (the public listing, for the hosted backend at PUBLIC_URL):
// stages the app for that listing, checks it offline and zips it into dist/ with zcli's own packer
// (the same archive `zcli apps:validate` / `apps:package` would upload). With a Zendesk account,
// run `npx zcli apps:validate dist/zendesk-app` for Zendesk's own verdict.
import { readFileSync, renameSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { checkApp, checkZipEntries } from './check-app'
import { stageApp, stagedAppDir, type AppListing } from './stage-app'
import { listZipEntries } from './zip-entries'

const require = createRequire(import.meta.url)
const { createAppPkg } = require('@zendesk/zcli-apps/dist/lib/package') as {
  createAppPkg(appPath: string, pkgDir?: string): Promise<string>
}

/**
 * Checks and zips a staged app. The marketplace zip is named apart (`…-marketplace.zip`) so the two
 * builds can sit side by side in dist/.
 */
export async function packageApp(
  appDir: string = stagedAppDir,
  listing: AppListing = 'private',
): Promise<{ zipPath: string; entries: string[]; warnings: string[] }> {
  const { errors, warnings } = checkApp(appDir)
  if (errors.length > 0) throw new Error(`The staged app fails the check:\n- ${errors.join('\n- ')}`)
  const manifest = JSON.parse(readFileSync(`${appDir}/manifest.json`, 'utf8')) as { version: string }
  // pkgDir '..' puts the zip next to the app directory, never inside what gets zipped.
  const written = await createAppPkg(appDir, '..')
  const suffix = listing === 'marketplace' ? '-marketplace' : ''
  const zipPath = fileURLToPath(new URL(`psa-link-zendesk-app-${manifest.version}${suffix}.zip`, `file://${appDir.replace(/\/?$/, '/')}../`))
  renameSync(written, zipPath)
  const entries = listZipEntries(readFileSync(zipPath))
  const zipErrors = checkZipEntries(entries)
  if (zipErrors.length > 0) throw new Error(`The zip fails the check:\n- ${zipErrors.join('\n- ')}`)
  return { zipPath, entries, warnings }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const listing: AppListing = process.argv.includes('--marketplace') ? 'marketplace' : 'private'
  Promise.resolve()
    .then(() => packageApp(stageApp(process.env['PUBLIC_URL'], listing), listing))
    .then(
      ({ zipPath, entries, warnings }) => {
        for (const warning of warnings) console.warn(`warning: ${warning}`)
        console.log(`Checked and packaged the ${listing} build: ${entries.length} entries into ${zipPath} (${statSync(zipPath).size} bytes)`)
        console.log('With a Zendesk account: npx zcli apps:validate dist/zendesk-app')
      },
      (error: unknown) => {
        console.error((error as Error).message)
        process.exit(1)
      },
    )
}
