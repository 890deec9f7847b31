import { readFileSync } from 'node:fs'
import { checkApp } from '../../zendesk-app/scripts/check-app'
import { packageApp } from '../../zendesk-app/scripts/package-app'
import { stageApp } from '../../zendesk-app/scripts/stage-app'
import { APP_DIR, buildApp, REPO_ROOT } from './preview-harness'

interface StagedManifest {
  private: boolean
  domainWhitelist: string[]
  parameters: { name: string; default?: unknown }[]
}

const stagedManifest = () => JSON.parse(readFileSync(`${APP_DIR}/manifest.json`, 'utf8')) as StagedManifest

describe('the private and the marketplace builds of the Zendesk app', () => {
  beforeAll(() => {
    buildApp()
  })
  afterAll(() => {
    stageApp(undefined)
  })

  it('stamps the private build for one backend origin when PUBLIC_URL names it', () => {
    stageApp('https://psa-link.customer.example', 'private')
    const manifest = stagedManifest()
    expect(manifest.private).toBe(true)
    expect(manifest.domainWhitelist).toEqual(['psa-link.customer.example'])
    expect(manifest.parameters.find((parameter) => parameter.name === 'backend_url')?.default).toBe('https://psa-link.customer.example')
  })

  it('builds a public listing for the hosted backend that passes the marketplace checks', async () => {
    stageApp('https://hosted.psa-link.example', 'marketplace')
    const manifest = stagedManifest()
    expect(manifest.private).toBe(false)
    expect(manifest.domainWhitelist).toEqual(['hosted.psa-link.example'])
    expect(manifest.parameters.find((parameter) => parameter.name === 'backend_url')?.default).toBe('https://hosted.psa-link.example')
    expect(checkApp(APP_DIR).errors).toEqual([])
    const { zipPath } = await packageApp(APP_DIR, 'marketplace')
    expect(zipPath).toBe(`${REPO_ROOT}dist/psa-link-zendesk-app-0.1.0-marketplace.zip`)
  })

  it('refuses a marketplace build when no https origin of the hosted backend is given', () => {
    expect(() => stageApp(undefined, 'marketplace')).toThrow(/PUBLIC_URL/)
    expect(() => stageApp('http://hosted.psa-link.example', 'marketplace')).toThrow(/https origin/)
  })
})
