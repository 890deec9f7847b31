import Type, { type Static } from 'typebox'
import Value from 'typebox/value'

/**
 * Every environment variable PSA Link reads, in one schema. `.env.example` documents each one;
 * keep the two in step (a unit test checks that they list the same names).
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+$' })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 2, maximum: 200, default: 10 }),
  PSA_LINK_ROLE: Type.Union([Type.Literal('all'), Type.Literal('api'), Type.Literal('workers')], { default: 'all' }),
  JOB_POLLING_SECONDS: Type.Number({ minimum: 0.5, maximum: 3600, default: 2 }),
  DATA_DIR: Type.String({ minLength: 1, default: './.data' }),
  SANDBOX: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], { default: 'auto' }),
  SYNC_INTERVAL_SECONDS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300 }),
  SIDEBAR_WATCH_SCAN_SECONDS: Type.Integer({ minimum: 5, maximum: 60, default: 30 }),
  AUTOTASK_BUDGET_SHARE: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5 }),
  PSA_LINK_SECRET_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  SHUTDOWN_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
  SYNC_LEASE_SECONDS: Type.Integer({ minimum: 4, maximum: 3600, default: 120 }),
  ZENDESK_OAUTH_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  ZENDESK_OAUTH_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  ONBOARDING_SUBDOMAINS: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*(\\s*,\\s*[a-z0-9][a-z0-9-]*)*$' })),
  SYNC_RUN_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  SMTP_HOST: Type.Optional(Type.String({ minLength: 1 })),
  SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
  SMTP_SECURE: Type.Boolean({ default: false }),
  SMTP_USER: Type.Optional(Type.String({ minLength: 1 })),
  SMTP_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  SMTP_FROM: Type.Optional(Type.String({ minLength: 3 })),
  ALERT_PERIOD_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, default: 60 }),
  ALERT_PROBLEM_THRESHOLD: Type.Integer({ minimum: 1, maximum: 100_000, default: 20 }),
  TRUST_PROXY: Type.Optional(Type.String({ pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/]+(\\s*,\\s*[0-9a-fA-F.:/]+)*)$' })),
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const HINTS: Partial<Record<keyof Config, string>> = {
  PUBLIC_URL: 'an origin such as https://psa-link.example.com (no path, no trailing slash)',
  DATABASE_URL: 'a URL such as postgres://user:password@host:5432/database',
  PSA_LINK_SECRET_KEY: '64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  NODE_ENV: 'one of development, production, test',
  SANDBOX: 'one of auto, on, off',
  PSA_LINK_ROLE: 'one of all (the HTTP API and the workers), api (the HTTP API only), workers (the sync workers and schedule only)',
  DATABASE_POOL_SIZE: 'a whole number of connections from 2 to 200',
  SMTP_SECURE: 'true (TLS from the start, port 465) or false (STARTTLS when offered)',
  ONBOARDING_SUBDOMAINS: 'a comma-separated list of Zendesk subdomains such as acme,globex',
  TRUST_PROXY: 'true, false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges',
}

/** Reads the configuration from `env`, or throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(ConfigSchema.properties)
  // An empty variable counts as unset, as in most shells' `VAR=` idiom.
  const raw = Object.fromEntries(
    known.flatMap((name) => {
      const value = env[name]
      return value === undefined || value.trim() === '' ? [] : [[name, value.trim()]]
    }),
  )
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw)) as Record<string, unknown>
  // Checked one variable at a time so that every bad variable is named once, with its own reason.
  const problems = Object.entries(ConfigSchema.properties).flatMap(([name, schema]) => {
    const value = withDefaults[name]
    if (value === undefined) return []
    const [error] = Value.Errors(schema, value)
    if (!error) return []
    const hint = HINTS[name as keyof Config]
    return [`${name} is "${String(raw[name])}": ${hint ? `expected ${hint}` : error.message}`]
  })
  if (problems.length === 0) problems.push(...productionProblems(withDefaults as Config))
  if (problems.length > 0) throw new ConfigError(problems)
  return withDefaults as Config
}

/**
 * Production is safe by default: no sandbox (emulators, demo logins, an open preview proxy) and an
 * https public origin, so cookies are Secure and the app's domain whitelist names TLS.
 */
function productionProblems(config: Config): string[] {
  if (config.NODE_ENV !== 'production') return []
  const problems: string[] = []
  if (config.SANDBOX === 'on') {
    problems.push(
      'SANDBOX is "on" with NODE_ENV=production: the sandbox (emulators and demo logins) is never mounted in production; use NODE_ENV=development to try PSA Link',
    )
  }
  if (!config.PUBLIC_URL)
    problems.push(
      'PUBLIC_URL is required with NODE_ENV=production: the https origin people and Zendesk reach PSA Link at, such as https://psa-link.example.com',
    )
  else if (!config.PUBLIC_URL.startsWith('https://')) problems.push(`PUBLIC_URL is "${config.PUBLIC_URL}": with NODE_ENV=production it must be an https origin`)
  return problems
}

/** The Zendesk subdomains that may onboard themselves, from ONBOARDING_SUBDOMAINS; null: any may. */
export function onboardingSubdomains(value: string | undefined): ReadonlySet<string> | null {
  if (value === undefined) return null
  return new Set(
    value
      .split(',')
      .map((subdomain) => subdomain.trim().toLowerCase())
      .filter((subdomain) => subdomain !== ''),
  )
}

/** Fastify's `trustProxy` from TRUST_PROXY: off unless the operator says which proxies to believe. */
export function trustProxyOption(value: string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^[0-9]+$/.test(value)) {
    // n hops: believe the n proxies nearest to PSA Link (what Fastify does with a number).
    const hops = Number(value)
    return (_address, hop) => hop < hops
  }
  return value
}
