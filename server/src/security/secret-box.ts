import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * Secrets at rest (OAuth tokens, Autotask secrets, the app's shared secret) are AES-256-GCM
 * ciphertext: `v2.<iv>.<tag>.<ciphertext>`, each part base64url, with a 16-byte tag and the cell
 * it belongs to (table, column, row id) as associated data. GCM's tag makes a tampered or
 * wrongly-keyed value fail loudly instead of decrypting to garbage; the associated data makes a
 * value copied into another row or column fail the same way, so someone who can write the
 * database cannot make PSA Link hand one account's token to another.
 *
 * `v1` values (before issue 13: no associated data) still open, so an upgraded database keeps
 * working; every start re-seals them as v2 (see sealed-secrets-repository).
 */
export interface SecretBox {
  seal(plain: string, cell: SealedCell): string
  open(sealed: string, cell: SealedCell): string
  /** True for a value sealed before values were bound to their cell. */
  isLegacy(sealed: string): boolean
  /** A value only this deployment's key yields for `purpose` (HMAC-SHA256), the same in every instance. */
  derive(purpose: string): Buffer
}

/** Where a sealed value lives: it opens only there. */
export interface SealedCell {
  table: string
  column: string
  id: number | string
}

const VERSION = 'v2'
const LEGACY_VERSION = 'v1'
const IV_BYTES = 12
/** GCM's full tag: Node accepts shorter tags on decrypt unless told the length, which weakens forgery resistance. */
const TAG_BYTES = 16

function associatedData(cell: SealedCell): Buffer {
  return Buffer.from(`psa-link:${cell.table}.${cell.column}:${String(cell.id)}`, 'utf8')
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('the secret key must be 32 bytes (64 hex characters)')
  return {
    seal(plain, cell) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(associatedData(cell))
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
    },
    open(sealed, cell) {
      const [version, ivText, tagText, ciphertext, extra] = sealed.split('.')
      if ((version !== VERSION && version !== LEGACY_VERSION) || !ivText || !tagText || ciphertext === undefined || extra !== undefined)
        throw new Error('not a sealed secret')
      const iv = Buffer.from(ivText, 'base64url')
      const tag = Buffer.from(tagText, 'base64url')
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('not a sealed secret')
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      if (version === VERSION) decipher.setAAD(associatedData(cell))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    },
    isLegacy(sealed) {
      return sealed.startsWith(`${LEGACY_VERSION}.`)
    },
    derive(purpose) {
      return createHmac('sha256', key).update(purpose).digest()
    },
  }
}
