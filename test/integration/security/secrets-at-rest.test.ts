import { createCipheriv, randomBytes } from 'node:crypto'
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Database } from '../../../server/src/db/database'
import { openDatabase } from '../../../server/src/db/database'
import { migrate } from '../../../server/src/db/migrate'
import { createTenantsRepository } from '../../../server/src/db/repositories/tenants-repository'
import { createSecretBox } from '../../../server/src/security/secret-box'
import { loadSecretKey } from '../../../server/src/security/secret-key'
import { buildTestApp } from '../../helpers/build-app'
import { createTestDatabase } from '../../helpers/test-database'

// Issue 13: sealed secrets are bound to their cell, need a full GCM tag, and an upgraded database
// keeps its secrets; the embedded database and the key file are private to PSA Link's account.
const keyHex = 'b'.repeat(64)
const key = Buffer.from(keyHex, 'hex')
const box = createSecretBox(key)
const cell = { table: 'zendesk_accounts', column: 'oauth_access_token_enc', id: 1 }

/** A value as PSA Link sealed it before issue 13: `v1`, AES-256-GCM without associated data. */
function sealV1(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.')
}

describe('a sealed secret', () => {
  it('opens in the cell it was sealed for', () => {
    expect(box.open(box.seal('token-a', cell), cell)).toBe('token-a')
  })

  it('does not open when it is copied to another row', () => {
    expect(() => box.open(box.seal('token-a', cell), { ...cell, id: 2 })).toThrow()
  })

  it('does not open when it is copied to another column of the same row', () => {
    expect(() => box.open(box.seal('token-a', cell), { ...cell, column: 'oauth_refresh_token_enc' })).toThrow()
  })

  it('does not open when its tag is cut short (a 4-byte tag is forgeable)', () => {
    const [version, iv, tag, ciphertext] = box.seal('token-a', cell).split('.')
    const shortTag = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url')
    expect(() => box.open([version, iv, shortTag, ciphertext].join('.'), cell)).toThrow()
  })

  it('opens when it was sealed before values were bound to their cell', () => {
    expect(box.open(sealV1('old-token'), cell)).toBe('old-token')
  })
})

describe('an upgraded database', () => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase()
    await migrate(database.pool)
  })
  afterAll(async () => {
    await database?.close()
  })

  it('keeps its secrets and re-seals them bound to their cells when PSA Link starts', async () => {
    const { rows } = await database.pool.query<{ id: number }>(
      `INSERT INTO zendesk_accounts (subdomain, base_url, oauth_access_token_enc, app_shared_secret_enc) VALUES ('acme', 'http://127.0.0.1:1', $1, $2) RETURNING id`,
      [sealV1('old-access-token'), sealV1('old-app-secret')],
    )
    const accountId = rows[0]!.id
    await database.pool.query(
      `INSERT INTO autotask_connections (zendesk_account_id, name, api_username, secret_enc, integration_code_enc) VALUES ($1, 'Main', 'api@acme.test', $2, $3)`,
      [accountId, sealV1('old-autotask-secret'), sealV1('OLD-CODE')],
    )

    const app = await buildTestApp({ database, env: { PSA_LINK_SECRET_KEY: keyHex, SANDBOX: 'off' } })
    try {
      const stored = await database.pool.query<{
        oauth_access_token_enc: string
        app_shared_secret_enc: string
        secret_enc: string
        integration_code_enc: string
      }>(
        `SELECT a.oauth_access_token_enc, a.app_shared_secret_enc, c.secret_enc, c.integration_code_enc
           FROM zendesk_accounts a JOIN autotask_connections c ON c.zendesk_account_id = a.id WHERE a.id = $1`,
        [accountId],
      )
      for (const value of Object.values(stored.rows[0]!)) expect(value.startsWith('v2.')).toBe(true)
      const account = await app.tenants.getAccount(accountId)
      expect([account?.oauth.accessToken, account?.appSharedSecret]).toEqual(['old-access-token', 'old-app-secret'])
      const [connection] = await app.tenants.listConnections(accountId)
      expect([connection?.secret, connection?.integrationCode]).toEqual(['old-autotask-secret', 'OLD-CODE'])
    } finally {
      await app.close()
    }
  })

  it('refuses an account whose secret was copied from another account’s row', async () => {
    const tenants = createTenantsRepository(database.pool, box)
    const first = await tenants.createAccount({ subdomain: 'first', baseUrl: 'http://127.0.0.1:1', appSharedSecret: 'first-app-secret' })
    const second = await tenants.createAccount({ subdomain: 'second', baseUrl: 'http://127.0.0.1:1', appSharedSecret: 'second-app-secret' })
    expect((await tenants.getAccount(second))?.appSharedSecret).toBe('second-app-secret')
    // Someone who can write the database gives the second account the first one's secret.
    await database.pool.query(
      'UPDATE zendesk_accounts SET app_shared_secret_enc = (SELECT app_shared_secret_enc FROM zendesk_accounts WHERE id = $1) WHERE id = $2',
      [first, second],
    )
    await expect(tenants.getAccount(second)).rejects.toThrow()
  })
})

describe('files in DATA_DIR', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'psa-link-private-')), 'data')
  })
  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true })
  })

  const modeOf = async (target: string) => (await stat(target)).mode & 0o777

  it('creates the generated secret key 0600 in a 0700 folder', async () => {
    const previous = process.umask(0o022)
    try {
      await loadSecretKey({ DATA_DIR: dataDir })
    } finally {
      process.umask(previous)
    }
    expect(await modeOf(dataDir)).toBe(0o700)
    expect(await modeOf(path.join(dataDir, 'secret.key'))).toBe(0o600)
  })

  it('narrows a secret key file others could read when it was written before', async () => {
    await loadSecretKey({ DATA_DIR: dataDir })
    await chmod(path.join(dataDir, 'secret.key'), 0o644)
    await loadSecretKey({ DATA_DIR: dataDir })
    expect(await modeOf(path.join(dataDir, 'secret.key'))).toBe(0o600)
  })

  it('creates the embedded database with 0700 folders and 0600 files', async () => {
    const previous = process.umask(0o022)
    let database: Database | undefined
    try {
      database = await openDatabase({ DATABASE_URL: undefined, DATA_DIR: dataDir })
    } finally {
      process.umask(previous)
      await database?.close()
    }
    const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
    expect(entries.length).toBeGreaterThan(10)
    expect(await modeOf(dataDir)).toBe(0o700)
    for (const entry of entries) {
      const target = path.join(entry.parentPath, entry.name)
      expect([target, await modeOf(target)]).toEqual([target, entry.isDirectory() ? 0o700 : 0o600])
    }
  }, 60_000)
})
