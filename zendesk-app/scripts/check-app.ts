// An offline re-implementation of the Zendesk app rules PSA Link can break (ZAS manifest, translation,
// location and logo checks; ZENDESK_FACTS.md 1.2–1.3). The authority stays Zendesk's own
// `zcli apps:validate dist/zendesk-app`, which needs a Zendesk account.
import { existsSync, readFileSync } from 'node:fs'
import { readPngInfo } from './png'

export interface CheckResult {
  errors: string[]
  warnings: string[]
}

interface Parameter {
  name?: unknown
  type?: unknown
  required?: unknown
  secure?: unknown
  scopes?: unknown
  default?: unknown
}

const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth']
const SCOPES = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim', 'basic_auth_username', 'basic_auth_password']
const BOOLEAN_KEYS = ['private', 'signedUrls', 'singleInstall', 'requirementsOnly', 'marketingOnly']

function readJson(path: string, errors: string[]): Record<string, unknown> | null {
  if (!existsSync(path)) {
    errors.push(`${path} is missing`)
    return null
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch (error) {
    errors.push(`${path} is not valid JSON: ${(error as Error).message}`)
    return null
  }
}

function checkParameters(parameters: unknown, errors: string[], warnings: string[]): Parameter[] {
  if (parameters === undefined) return []
  if (!Array.isArray(parameters)) {
    errors.push('manifest parameters must be an array')
    return []
  }
  const seen = new Set<string>()
  for (const parameter of parameters as Parameter[]) {
    const name = typeof parameter.name === 'string' ? parameter.name : ''
    if (!name) errors.push('a manifest parameter has no name')
    if (name === 'name') errors.push('a parameter may not be called "name"')
    if (seen.has(name)) errors.push(`parameter ${name} is declared twice`)
    seen.add(name)
    if (typeof parameter.type !== 'string' || !PARAMETER_TYPES.includes(parameter.type)) errors.push(`parameter ${name} has an invalid type`)
    if (parameter.type === 'hidden' && parameter.required === true) errors.push(`hidden parameter ${name} may not be required`)
    if (parameter.scopes !== undefined) {
      if (parameter.secure !== true) errors.push(`parameter ${name} has scopes but is not secure`)
      if (!Array.isArray(parameter.scopes) || parameter.scopes.length === 0) errors.push(`parameter ${name} has empty scopes`)
      else for (const scope of parameter.scopes) if (!SCOPES.includes(String(scope))) errors.push(`parameter ${name} has an unknown scope ${String(scope)}`)
    } else if (parameter.secure === true) {
      warnings.push(`secure parameter ${name} has no scopes (token exposure warning)`)
    }
    if (parameter.secure !== true && parameter.type === 'text' && /token|key|pwd|password/i.test(name))
      warnings.push(`parameter ${name} looks secret but is not secure`)
    if ((parameter.secure === true || parameter.type === 'hidden') && parameter.default !== undefined)
      warnings.push(`parameter ${name} has a default that is not stored securely`)
  }
  if ((parameters as Parameter[]).filter((parameter) => parameter.type === 'oauth').length > 1) errors.push('at most one oauth parameter')
  return parameters as Parameter[]
}

function checkLocationUrl(appDir: string, where: string, url: unknown, errors: string[]): void {
  if (typeof url !== 'string' || url === '') {
    errors.push(`location ${where} has no url`)
    return
  }
  if (url.includes('{{setting.')) return
  if (/^https:\/\//.test(url)) return
  if (/^https?:\/\/localhost([:/]|$)/.test(url)) return
  if (/^assets\//.test(url) && existsSync(`${appDir}/${url.split(/[?#]/)[0]}`)) return
  errors.push(`location ${where} url ${url} is either invalid, refers to a missing asset, or does not use HTTPS`)
}

function checkLogo(appDir: string, file: string, size: number, errors: string[]): void {
  const path = `${appDir}/assets/${file}`
  if (!existsSync(path)) {
    errors.push(`assets/${file} is missing`)
    return
  }
  const info = readPngInfo(readFileSync(path))
  if (!info) errors.push(`assets/${file} is not a PNG`)
  else if (info.width !== size || info.height !== size) errors.push(`assets/${file} is ${info.width}x${info.height}, expected ${size}x${size}`)
}

/** Checks a staged app directory (the zip's root). */
export function checkApp(appDir: string): CheckResult {
  const errors: string[] = []
  const warnings: string[] = []
  const manifest = readJson(`${appDir}/manifest.json`, errors)
  if (!manifest) return { errors, warnings }

  for (const key of ['name', 'author', 'defaultLocale', 'location', 'frameworkVersion', 'version']) {
    if (manifest[key] === undefined) errors.push(`manifest is missing ${key}`)
  }
  const author = manifest['author'] as Record<string, unknown> | undefined
  for (const key of ['name', 'email', 'url']) if (typeof author?.[key] !== 'string') errors.push(`manifest author.${key} is missing`)
  if (manifest['frameworkVersion'] !== '2.0')
    errors.push(`${String(manifest['frameworkVersion'])} is not a valid framework version. Available versions are: 2.0`)
  if (typeof manifest['version'] !== 'string' || !/^\d+\.\d+\.\d+$/.test(manifest['version'])) errors.push('manifest version must be semver')
  for (const key of BOOLEAN_KEYS) if (manifest[key] !== undefined && typeof manifest[key] !== 'boolean') errors.push(`manifest ${key} must be a boolean`)
  const whitelist = manifest['domainWhitelist']
  if (whitelist !== undefined && (!Array.isArray(whitelist) || whitelist.some((domain) => typeof domain !== 'string')))
    errors.push('domainWhitelist must be an array of strings')
  else if (!Array.isArray(whitelist) || whitelist.length === 0)
    warnings.push('domainWhitelist is empty: set PUBLIC_URL when building so secure requests may reach the backend')
  const parameters = checkParameters(manifest['parameters'], errors, warnings)

  const location = manifest['location'] as Record<string, Record<string, unknown>> | undefined
  for (const [product, places] of Object.entries(location ?? {})) {
    for (const [place, options] of Object.entries(places ?? {})) {
      checkLocationUrl(appDir, `${product}.${place}`, typeof options === 'string' ? options : (options as { url?: unknown })?.url, errors)
    }
  }

  const locale = typeof manifest['defaultLocale'] === 'string' ? manifest['defaultLocale'] : 'en'
  const translations = readJson(`${appDir}/translations/${locale}.json`, errors)
  const app = translations?.['app'] as Record<string, unknown> | undefined
  if (translations) {
    const required = manifest['private'] === false ? ['name', 'short_description', 'long_description', 'installation_instructions'] : ['name']
    for (const key of required) if (typeof app?.[key] !== 'string' || app[key] === '') errors.push(`translations ${locale}.json is missing app.${key}`)
    for (const key of ['short_description', 'long_description', 'installation_instructions']) {
      if (typeof app?.[key] !== 'string') warnings.push(`translations ${locale}.json has no app.${key} (required for the marketplace)`)
    }
    if (typeof app?.['name'] === 'string' && app['name'].length > 40) errors.push('app.name is longer than 40 characters')
    const labels = app?.['parameters'] as Record<string, { label?: unknown }> | undefined
    for (const parameter of parameters) {
      if (typeof labels?.[String(parameter.name)]?.label !== 'string')
        errors.push(`translations ${locale}.json has no label for parameter ${String(parameter.name)}`)
    }
  }

  checkLogo(appDir, 'logo.png', 320, errors)
  checkLogo(appDir, 'logo-small.png', 128, errors)
  return { errors, warnings }
}

const ALLOWED_ENTRY = /^(manifest\.json|requirements\.json|translations\/[a-z]{2,3}(-\w{2,3})?\.json|assets\/[\w.-]+\.(html|js|css|png|svg|woff2?))$/
const DIRECTORY_ENTRY = /^(translations|assets)\/$/

/** Entries that have no place in the upload: source maps, dotfiles, config with secrets, archives… */
export function checkZipEntries(entries: string[]): string[] {
  const errors = entries.filter((entry) => !ALLOWED_ENTRY.test(entry) && !DIRECTORY_ENTRY.test(entry)).map((entry) => `unexpected file in the zip: ${entry}`)
  for (const required of ['manifest.json', 'assets/iframe.html', 'assets/logo.png', 'assets/logo-small.png']) {
    if (!entries.includes(required)) errors.push(`the zip has no ${required}`)
  }
  return errors
}
