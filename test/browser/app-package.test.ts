import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { checkApp, checkZipEntries } from '../../zendesk-app/scripts/check-app'
import { encodeRgbaPng } from '../../zendesk-app/scripts/png'
import { packageApp } from '../../zendesk-app/scripts/package-app'
import { stageApp } from '../../zendesk-app/scripts/stage-app'
import { APP_DIR, buildApp, REPO_ROOT } from './preview-harness'

describe('the staged Zendesk app and its upload zip', () => {
  beforeAll(() => {
    buildApp()
  })

  it('passes the offline check and zips only app files when built from the sources', async () => {
    expect(checkApp(APP_DIR).errors).toEqual([])
    const { zipPath, entries } = await packageApp(APP_DIR)
    expect(zipPath).toBe(`${REPO_ROOT}dist/psa-link-zendesk-app-0.1.0.zip`)
    expect(entries).toEqual(expect.arrayContaining(['manifest.json', 'translations/en.json', 'assets/iframe.html', 'assets/logo.png', 'assets/logo-small.png']))
    expect(entries.some((entry) => /^assets\/iframe-[\w-]+\.js$/.test(entry))).toBe(true)
    expect(entries.filter((entry) => entry.endsWith('.map') || entry.startsWith('tmp/'))).toEqual([])
  })

  it('stamps the backend host into domainWhitelist when PUBLIC_URL is set', () => {
    try {
      stageApp('https://psa-link.example.com:8443/base')
      const manifest = JSON.parse(readFileSync(`${APP_DIR}/manifest.json`, 'utf8')) as { domainWhitelist: string[] }
      expect(manifest.domainWhitelist).toEqual(['psa-link.example.com'])
      expect(checkApp(APP_DIR).warnings.some((warning) => warning.includes('domainWhitelist'))).toBe(false)
    } finally {
      stageApp(undefined)
    }
  })

  it('keeps only the marketplace keys in the staged translations', () => {
    const staged = JSON.parse(readFileSync(`${APP_DIR}/translations/en.json`, 'utf8')) as Record<string, unknown>
    expect(Object.keys(staged).sort()).toEqual(['app', 'ticket_sidebar'])
  })

  it('reports each broken rule when the staged app is damaged', () => {
    const broken = mkdtempSync(`${tmpdir()}/psa-link-broken-app-`)
    try {
      cpSync(APP_DIR, broken, { recursive: true })
      const manifest = JSON.parse(readFileSync(`${broken}/manifest.json`, 'utf8')) as Record<string, unknown>
      manifest['frameworkVersion'] = '1.0'
      manifest['private'] = 'yes'
      manifest['location'] = { support: { ticket_sidebar: { url: 'assets/missing.html' }, top_bar: { url: 'http://example.com/app' } } }
      manifest['parameters'] = [...(manifest['parameters'] as object[]), { name: 'api_key', type: 'text', scopes: ['header'] }]
      writeFileSync(`${broken}/manifest.json`, JSON.stringify(manifest))
      writeFileSync(`${broken}/assets/logo.png`, encodeRgbaPng(300, 300, new Uint8Array(300 * 300 * 4)))
      rmSync(`${broken}/assets/logo-small.png`)
      const { errors } = checkApp(broken)
      expect(errors).toEqual(
        expect.arrayContaining([
          '1.0 is not a valid framework version. Available versions are: 2.0',
          'manifest private must be a boolean',
          expect.stringContaining('location support.ticket_sidebar url assets/missing.html'),
          expect.stringContaining('location support.top_bar url http://example.com/app'),
          'parameter api_key has scopes but is not secure',
          'translations en.json has no label for parameter api_key',
          'assets/logo.png is 300x300, expected 320x320',
          'assets/logo-small.png is missing',
        ]),
      )
      expect(errors).toHaveLength(8)
    } finally {
      rmSync(broken, { recursive: true, force: true })
    }
  })

  it('flags files that must not be uploaded when they end up in the zip', () => {
    const errors = checkZipEntries([
      'manifest.json',
      'assets/iframe.html',
      'assets/logo.png',
      'assets/logo-small.png',
      'assets/iframe.js.map',
      'zcli.apps.config.json',
      '.env',
    ])
    expect(errors).toEqual([
      'unexpected file in the zip: assets/iframe.js.map',
      'unexpected file in the zip: zcli.apps.config.json',
      'unexpected file in the zip: .env',
    ])
  })
})
