// `npm start`, `npm run db:migrate`, `npm run setup-code`. Plain JavaScript, so that it runs on `node`
// alone: in production (NODE_ENV=production, from the environment or .env) it loads the build in
// dist/server/ (`npm run build`), with no TypeScript tooling and no build at start-up. Otherwise it
// builds the sidebar app and the admin console when their build is missing or older than their
// sources, and runs the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** What each command runs: the built file in production, the source otherwise. */
const ENTRIES = {
  server: { built: 'dist/server/server.js', source: 'server/src/server.ts', needsUi: true },
  'db:migrate': { built: 'dist/server/migrate-cli.js', source: 'server/src/db/migrate-cli.ts', needsUi: false },
  'setup-code': { built: 'dist/server/setup-code-cli.js', source: 'server/src/admin/setup-code-cli.ts', needsUi: false },
}

/** The built UIs and the sources each is built from. */
const UI_BUILDS = [
  {
    output: 'dist/zendesk-app/assets/iframe.html',
    sources: ['zendesk-app/src', 'zendesk-app/translations', 'zendesk-app/assets', 'zendesk-app/vite.config.ts', 'manifest.json', 'shared/src'],
  },
  { output: 'dist/admin-ui/index.html', sources: ['server/src/admin-ui', 'shared/src'] },
]

function newestModification(path) {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestModification(`${path}/${name}`)), stats.mtimeMs)
}

function uiBuildIsStale() {
  return UI_BUILDS.some(({ output, sources }) => {
    if (!existsSync(`${root}${output}`)) return true
    const built = statSync(`${root}${output}`).mtimeMs
    return sources.some((source) => existsSync(`${root}${source}`) && newestModification(`${root}${source}`) > built)
  })
}

const command = process.argv[2] ?? 'server'
const entry = ENTRIES[command]
if (!entry) {
  console.error(`Unknown command "${command}": one of ${Object.keys(ENTRIES).join(', ')}`)
  process.exit(2)
}
try {
  process.loadEnvFile(`${root}.env`)
} catch {
  // No .env file: the environment alone configures PSA Link.
}

if (process.env.NODE_ENV === 'production') {
  if (!existsSync(`${root}${entry.built}`)) {
    console.error(`PSA Link cannot start: ${entry.built} is missing. Production runs the build: run \`npm run build\` first.`)
    process.exit(1)
  }
  process.setSourceMapsEnabled(true)
  await import(pathToFileURL(`${root}${entry.built}`).href)
} else {
  if (entry.needsUi && uiBuildIsStale()) {
    const build = spawnSync('npm', ['run', 'build:ui', '--silent'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) process.exit(build.status ?? 1)
  }
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(`${root}${entry.source}`).href)
}
