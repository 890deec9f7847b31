import { readFileSync } from 'node:fs'
import { ConfigError, ConfigSchema, loadConfig, trustProxyOption } from '../../server/src/config'
import { sandboxWanted } from '../../server/src/plugins/sandbox-mount'

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env)
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

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

  it('refuses the sandbox and a missing or plain-http PUBLIC_URL when NODE_ENV=production', () => {
    expect(problemsOf({ NODE_ENV: 'production', SANDBOX: 'on', PUBLIC_URL: 'https://psa.example.test' }).join('\n')).toContain(
      'SANDBOX is "on" with NODE_ENV=production',
    )
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toContain('PUBLIC_URL is required with NODE_ENV=production')
    expect(problemsOf({ NODE_ENV: 'production', PUBLIC_URL: 'http://psa.example.test' }).join('\n')).toContain('must be an https origin')
    expect(problemsOf({ NODE_ENV: 'production', PUBLIC_URL: 'https://psa.example.test' })).toEqual([])
    expect(problemsOf({ NODE_ENV: 'development', SANDBOX: 'on' })).toEqual([])
  })

  it('never mounts the sandbox in production, and in development only when asked or when nothing real exists', () => {
    const config = (env: NodeJS.ProcessEnv) => loadConfig({ PUBLIC_URL: 'https://psa.example.test', ...env })
    expect(sandboxWanted(config({ NODE_ENV: 'production' }), false)).toBe(false)
    expect(sandboxWanted(config({ NODE_ENV: 'production', SANDBOX: 'auto' }), false)).toBe(false)
    expect(sandboxWanted(config({ SANDBOX: 'auto' }), false)).toBe(true)
    expect(sandboxWanted(config({ SANDBOX: 'auto' }), true)).toBe(false)
    expect(sandboxWanted(config({ SANDBOX: 'on' }), true)).toBe(true)
    expect(sandboxWanted(config({ SANDBOX: 'off' }), false)).toBe(false)
  })

  it('reads TRUST_PROXY as off, on, a hop count or proxy addresses, and refuses anything else', () => {
    expect(trustProxyOption(undefined)).toBe(false)
    expect(trustProxyOption('true')).toBe(true)
    expect(trustProxyOption('10.0.0.0/8, 192.168.1.1')).toBe('10.0.0.0/8, 192.168.1.1')
    const twoHops = trustProxyOption('2') as (address: string, hop: number) => boolean
    expect([twoHops('10.0.0.1', 0), twoHops('10.0.0.1', 1), twoHops('10.0.0.1', 2)]).toEqual([true, true, false])
    expect(problemsOf({ TRUST_PROXY: 'everyone' }).join('\n')).toContain('TRUST_PROXY is "everyone"')
  })
})
