// Stages the uploadable app next to the Vite output: dist/zendesk-app/{manifest.json, translations/,
// assets/logo*.png, assets/screenshot-*.png}. Vite has already written assets/iframe.html and its JS.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const appSource = fileURLToPath(new URL('../', import.meta.url))
export const stagedAppDir = `${repoRoot}dist/zendesk-app/`

/** Marketplace keys only (as the app_scaffolds build does): UI strings are bundled into the JS. */
function marketplaceTranslations(source: Record<string, unknown>): Record<string, unknown> {
  const { app, ticket_sidebar: ticketSidebar } = source
  return { app, ticket_sidebar: ticketSidebar }
}

/** The backend must be on the whitelist for the proxy to send secure requests to it. */
function whitelist(manifest: { domainWhitelist?: string[] }, publicUrl: string | undefined): string[] {
  const domains = new Set(manifest.domainWhitelist ?? [])
  if (publicUrl) domains.add(new URL(publicUrl).hostname)
  return [...domains]
}

/**
 * Which build: `private` is installed by one Zendesk account for its own PSA Link backend;
 * `marketplace` is the public listing (`"private": false`), talking to the hosted backend.
 */
export type AppListing = 'private' | 'marketplace'

interface ManifestParameter {
  name: string
  default?: unknown
}

/** The backend this build is for becomes the backend_url setting's default (the admin can still change it). */
function stampBackendUrl(parameters: ManifestParameter[] | undefined, publicUrl: string | undefined): ManifestParameter[] | undefined {
  if (!parameters || !publicUrl) return parameters
  const origin = new URL(publicUrl).origin
  return parameters.map((parameter) => (parameter.name === 'backend_url' ? { ...parameter, default: origin } : parameter))
}

export function stageApp(publicUrl: string | undefined = process.env['PUBLIC_URL'], listing: AppListing = 'private'): string {
  if (listing === 'marketplace' && !publicUrl?.startsWith('https://')) {
    throw new Error(`The marketplace build talks to the hosted backend: set PUBLIC_URL to its https origin (got ${publicUrl ?? 'nothing'})`)
  }
  if (!existsSync(`${stagedAppDir}assets/iframe.html`)) {
    throw new Error(`${stagedAppDir}assets/iframe.html is missing: run vite build first (npm run build -w zendesk-app)`)
  }
  const manifest = JSON.parse(readFileSync(`${repoRoot}manifest.json`, 'utf8')) as { domainWhitelist?: string[]; parameters?: ManifestParameter[] }
  const staged = {
    ...manifest,
    private: listing === 'private',
    domainWhitelist: whitelist(manifest, publicUrl),
    parameters: stampBackendUrl(manifest.parameters, publicUrl),
  }
  writeFileSync(`${stagedAppDir}manifest.json`, `${JSON.stringify(staged, null, 2)}\n`)

  mkdirSync(`${stagedAppDir}translations`, { recursive: true })
  for (const file of readdirSync(`${appSource}translations`).filter((name) => name.endsWith('.json'))) {
    const source = JSON.parse(readFileSync(`${appSource}translations/${file}`, 'utf8')) as Record<string, unknown>
    writeFileSync(`${stagedAppDir}translations/${file}`, `${JSON.stringify(marketplaceTranslations(source), null, 2)}\n`)
  }
  for (const file of readdirSync(`${appSource}assets`).filter((name) => /^(logo(-small)?|screenshot-\d+)\.png$/.test(name))) {
    copyFileSync(`${appSource}assets/${file}`, `${stagedAppDir}assets/${file}`)
  }
  return stagedAppDir
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`Staged the Zendesk app in ${stageApp()}`)
}
