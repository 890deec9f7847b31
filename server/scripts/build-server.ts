// `npm run build` (first step): the server as JavaScript for `node`, into dist/server/. esbuild
// bundles each entry point with the workspace's own sources (server/src and @psa-link/shared, whose
// package exports TypeScript) and leaves every installed package as an import, resolved from
// node_modules at run time. The sandbox stays outside: production never loads it.
import { cpSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const outdir = `${root}dist/server`

/** Entry points, by the name of the file they become in dist/server/. */
export const SERVER_ENTRIES = {
  server: 'server/src/server.ts',
  'migrate-cli': 'server/src/db/migrate-cli.ts',
  'setup-code-cli': 'server/src/admin/setup-code-cli.ts',
} as const

/** Bare imports stay imports, except @psa-link/shared: it is compiled into the bundle. */
const installedPackagesExternal: Plugin = {
  name: 'installed-packages-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === '@psa-link/shared' || args.path.startsWith('@psa-link/shared/')) return undefined
      return { path: args.path, external: true }
    })
  },
}

export async function buildServer(): Promise<void> {
  rmSync(outdir, { recursive: true, force: true })
  await build({
    absWorkingDir: root,
    entryPoints: Object.entries(SERVER_ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The oldest Node line PSA Link supports (package.json engines).
    target: 'node20.12',
    // Stack traces name the .ts lines under `node --enable-source-maps`.
    sourcemap: true,
    sourcesContent: false,
    plugins: [installedPackagesExternal],
    logLevel: 'warning',
  })
  // Migrations are read at run time from beside the module that applies them (db/migrate.ts).
  cpSync(`${root}server/src/db/migrations`, `${outdir}/migrations`, { recursive: true })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now()
  await buildServer()
  console.log(`Built the server into dist/server/ in ${Date.now() - started} ms`)
}
