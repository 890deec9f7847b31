import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * Secrets at rest (OAuth tokens, Autotask secrets, the app's shared secret) are AES-256-GCM
 * ciphertext: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. GCM's tag makes a tampered or
 * wrongly-keyed value fail loudly instead of decrypting to garbage.
 */
export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
  /** A value only this deployment's key yields for `purpose` (HMAC-SHA256), the same in every instance. */
  derive(purpose: string): Buffer
}

const VERSION = 'v1'

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('the secret key must be 32 bytes (64 hex characters)')
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    },
    derive(purpose) {
      return createHmac('sha256', key).update(purpose).digest()
    },
  }
}
