import { readFileSync } from 'node:fs'
import { ConfigError, ConfigSchema, loadConfig } from '../../server/src/config'

describe('loadConfig', () => {
  it('fills every default when the environment is empty', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', SYNC_INTERVAL_SECONDS: 300, SANDBOX: 'auto' })
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('converts numbers and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', SYNC_INTERVAL_SECONDS: '60', DATABASE_URL: '  ' })
    expect(config.PORT).toBe(8080)
    expect(config.SYNC_INTERVAL_SECONDS).toBe(60)
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('names each bad variable, its value and what was expected when the environment is wrong', () => {
    const failure = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', SYNC_INTERVAL_SECONDS: '1', PUBLIC_URL: 'https://x.test/' })
      } catch (error) {
        return error
      }
    })()
    expect(failure).toBeInstanceOf(ConfigError)
    const { problems } = failure as ConfigError
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).toContain('PORT is "eighty": must be integer')
    expect(problems.join('\n')).toContain('DATABASE_URL is "mysql://db/x": expected a URL such as postgres://')
    expect(problems.join('\n')).toContain('SYNC_INTERVAL_SECONDS is "1"')
    expect(problems.join('\n')).toContain('PUBLIC_URL is "https://x.test/": expected an origin')
  })

  it('documents every variable in .env.example when the schema changes', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
    const documented = [...example.matchAll(/^#?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]).sort()
    expect(documented).toEqual(Object.keys(ConfigSchema.properties).sort())
  })
})
